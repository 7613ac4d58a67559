package cn.eseal;

import static cn.eseal.TestFiles.SIGNING_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Freeing native handles: explicit close, close during use, and handles never closed. */
class HandleLifecycleTest {
    private static final byte[] DOCUMENT = "lease".getBytes(StandardCharsets.UTF_8);

    @Test
    void unclosedHandlesFreedAfterCollection() throws Exception {
        byte[] der;
        try (Seal seal = TestSeals.userSeal()) {
            der = seal.der();
        }
        long before = NativeHandle.liveCount();
        int created = 200;
        for (int i = 0; i < created; i++) {
            // Deliberately never closed.
            assertEquals(4, Seal.fromDer(der).version());
        }
        assertTrue(NativeHandle.liveCount() >= before + created / 2,
                "the handles were freed before any collection");

        // Garbage collection is not guaranteed to run on request, so ask repeatedly.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (NativeHandle.liveCount() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertTrue(NativeHandle.liveCount() <= before,
                "live handles: " + NativeHandle.liveCount() + ", expected at most " + before);
    }

    @Test
    void closeWaitsForRunningCalls() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            for (int round = 0; round < 20; round++) {
                Signature signature = Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, null);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int thread = 0; thread < 4; thread++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        int verified = 0;
                        for (int i = 0; i < 50; i++) {
                            try {
                                assertTrue(signature.verify(DOCUMENT).isValid());
                                verified++;
                            } catch (IllegalStateException closed) {
                                return verified;
                            }
                        }
                        return verified;
                    }));
                }
                start.countDown();
                Thread.sleep(round % 5);
                signature.close();
                for (Future<Integer> result : results) {
                    result.get(2, TimeUnit.MINUTES);
                }
                assertTrue(signature.isClosed());
            }
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                fail("verification threads did not stop");
            }
        }
    }

    @Test
    void closeIsIdempotentAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long before = NativeHandle.liveCount();
            Certificate cert = TestSeals.userCert();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                results.add(pool.submit(() -> {
                    start.await();
                    cert.close();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> result : results) {
                result.get(1, TimeUnit.MINUTES);
            }
            assertTrue(cert.isClosed());
            assertEquals(before, NativeHandle.liveCount());
        } finally {
            pool.shutdownNow();
        }
    }
}
