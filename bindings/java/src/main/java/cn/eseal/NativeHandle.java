package cn.eseal;

import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The base of every class that owns a native eseal handle.
 *
 * <p>Calls hold a {@link Lease} on each handle they pass to C: a shared lease for handles that
 * the C ABI lets threads share, an exclusive one for builders and signers, which C allows one
 * thread at a time. {@link #close()} waits for running calls to return before it frees the
 * handle, so closing a handle that another thread is using cannot free memory under it. Calls
 * made after {@code close()} throw {@link IllegalStateException}.
 *
 * <p>A thread that holds a shared lease cannot take an exclusive one or close the handle: that
 * throws {@link IllegalStateException} instead of waiting forever for itself. It happens when a
 * callback, such as a revocation checker, changes or closes the object that is calling it.
 *
 * <p>A handle that is never closed is freed by {@link HandleCleaner} some time after the garbage
 * collector finds it unreachable. The collector does not see native memory, so close handles
 * with try-with-resources rather than relying on this.
 */
abstract class NativeHandle implements AutoCloseable {
    private final State state;
    private final HandleCleaner.Registration registration;

    /** Frees one kind of native handle, such as {@code eseal_seal_free}. */
    interface Releaser {
        void free(EsealNative library, Pointer handle);
    }

    NativeHandle(Pointer handle, String typeName, Releaser releaser) {
        if (handle == null) {
            throw new IllegalStateException(
                    "eseal returned success but no " + typeName + " handle");
        }
        this.state = new State(handle, typeName, releaser);
        this.registration = HandleCleaner.register(this, state);
    }

    /**
     * Frees the native handle. Idempotent and thread-safe: the first call waits for calls in
     * progress on other threads, later calls return at once.
     */
    @Override
    public final void close() {
        state.requireNoSharedLeaseOnThisThread("closed");
        registration.cancel();
        state.free();
    }

    /** Tells whether {@link #close()} has been called. */
    public final boolean isClosed() {
        return state.isFreed();
    }

    /** Leases the handle for a call that C allows to share it with other threads. */
    final Lease lease() {
        return state.lease(false);
    }

    /** Leases the handle for a call that needs it alone, such as a builder update. */
    final Lease exclusiveLease() {
        return state.lease(true);
    }

    /**
     * Keeps {@code attachment} reachable until the native handle is freed, replacing an earlier
     * attachment. Used for a JNA callback that the native handle calls: the callback must not
     * be collected while the handle may call it, even after this object becomes unreachable.
     * Call it holding an exclusive lease.
     */
    final void setAttachment(Object attachment) {
        state.attachment = attachment;
    }

    /** Counts the handles created and not yet freed in this class loader, for tests. */
    static long liveCount() {
        return State.LIVE.get();
    }

    /** Use of a handle by one call on one thread; close it on the same thread. */
    static final class Lease implements AutoCloseable {
        private final Pointer pointer;
        private final Lock lock;

        private Lease(Pointer pointer, Lock lock) {
            this.pointer = pointer;
            this.lock = lock;
        }

        Pointer pointer() {
            return pointer;
        }

        @Override
        public void close() {
            lock.unlock();
        }
    }

    /**
     * The native pointer and its lock. Kept apart from the handle object so that
     * {@link HandleCleaner} can free it after the handle object has become unreachable.
     */
    static final class State {
        static final AtomicLong LIVE = new AtomicLong();

        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private final String typeName;
        private final Releaser releaser;
        private Pointer handle;
        /** See {@link NativeHandle#setAttachment}; reachable from the cleaner until freed. */
        private volatile Object attachment;

        State(Pointer handle, String typeName, Releaser releaser) {
            this.handle = handle;
            this.typeName = typeName;
            this.releaser = releaser;
            LIVE.incrementAndGet();
        }

        Lease lease(boolean exclusive) {
            if (exclusive) {
                requireNoSharedLeaseOnThisThread("changed");
            }
            Lock chosen = exclusive ? lock.writeLock() : lock.readLock();
            chosen.lock();
            if (handle == null) {
                chosen.unlock();
                throw new IllegalStateException("This " + typeName + " is closed.");
            }
            return new Lease(handle, chosen);
        }

        boolean isFreed() {
            lock.readLock().lock();
            try {
                return handle == null;
            } finally {
                lock.readLock().unlock();
            }
        }

        /**
         * Throws when this thread holds a shared lease, because the read lock of a
         * {@link ReentrantReadWriteLock} cannot be upgraded: taking the write lock would wait
         * forever.
         */
        void requireNoSharedLeaseOnThisThread(String action) {
            if (lock.getReadHoldCount() > 0) {
                throw new IllegalStateException(
                        "This " + typeName + " cannot be " + action + " while this thread is"
                                + " using it, for example from a callback it is making.");
            }
        }

        void free() {
            lock.writeLock().lock();
            try {
                if (handle != null) {
                    releaser.free(LibraryLoader.get(), handle);
                    handle = null;
                    attachment = null;
                    LIVE.decrementAndGet();
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
    }
}
