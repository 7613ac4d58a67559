package cn.eseal;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Frees the native handles of objects that were never closed, after the garbage collector has
 * found them unreachable.
 *
 * <p>Java 8 has no {@code java.lang.ref.Cleaner}, and finalizers are deprecated, so this class
 * does the same with phantom references and one daemon thread, started on first use. The
 * reference holds the {@link NativeHandle.State}, never the handle object itself, so the handle
 * object can become unreachable.
 */
final class HandleCleaner {
    private static final Logger LOGGER = Logger.getLogger(HandleCleaner.class.getName());
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();

    /** Keeps registrations reachable until they run or are cancelled. */
    private static final Set<Registration> PENDING =
            Collections.newSetFromMap(new ConcurrentHashMap<Registration, Boolean>());

    static {
        Thread thread = new Thread(HandleCleaner::run, "eseal-handle-cleaner");
        thread.setDaemon(true);
        thread.start();
    }

    private HandleCleaner() {}

    static Registration register(Object owner, NativeHandle.State state) {
        Registration registration = new Registration(owner, state);
        PENDING.add(registration);
        return registration;
    }

    private static void run() {
        while (true) {
            Registration registration;
            try {
                registration = (Registration) QUEUE.remove();
            } catch (InterruptedException e) {
                // No code stops this daemon thread, so an interrupt is ignored.
                continue;
            }
            if (!PENDING.remove(registration)) {
                continue;
            }
            try {
                registration.state.free();
            } catch (Throwable e) {
                LOGGER.log(Level.WARNING, "Freeing an unclosed eseal handle failed", e);
            }
        }
    }

    /** The link between a handle object and the native state it owns. */
    static final class Registration extends PhantomReference<Object> {
        private final NativeHandle.State state;

        private Registration(Object owner, NativeHandle.State state) {
            super(owner, QUEUE);
            this.state = state;
        }

        /** Drops the registration because the handle was closed explicitly. */
        void cancel() {
            if (PENDING.remove(this)) {
                clear();
            }
        }
    }
}
