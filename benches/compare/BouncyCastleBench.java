/*
 * Measures BouncyCastle's SM2 signing and verification and its SM3 throughput, each for a
 * fixed wall-clock time, and prints the rates in the format of eseal's `speed` example:
 *
 *   sm2_sign <ops/s> ops/s cpu <ops/s> ops/s
 *   sm2_verify <ops/s> ops/s cpu <ops/s> ops/s
 *   sm3_1MiB <MB/s> MB/s cpu <MB/s> MB/s        (MB = 10^6 bytes)
 *
 * The first rate divides by the wall-clock time, the second by the CPU time of the measuring
 * thread (ThreadMXBean), which leaves out time spent waiting while other processes run.
 *
 * One SM2 operation is a whole SM2Signer run over a 32-byte message with SM3 and the ID
 * 1234567812345678: init, Z, e = SM3(Z || M), the signature and its DER encoding or decoding.
 * One SM3 operation is SM3Digest over 1 MiB. Each measurement first runs for a warm-up of a
 * tenth of its time plus one second, so that the JIT has compiled the hot code.
 *
 * Usage: java -cp bcprov.jar:DIR BouncyCastleBench KEY.pem [SECONDS]
 *   (KEY.pem: an unencrypted PKCS#8 SM2 private key)
 * Build: javac -cp /usr/share/java/bcprov.jar -d DIR BouncyCastleBench.java
 */
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.Security;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

public final class BouncyCastleBench {
    private static final byte[] SM2_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);
    private static final int MESSAGE_BYTES = 32;
    private static final int SM3_INPUT_BYTES = 1 << 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One measured operation; may throw, which ends the program. */
    private interface Operation {
        void run() throws Exception;
    }

    /** Operations per wall-clock second and per CPU second of one measurement. */
    private static final class Rates {
        final double wall;
        final double cpu;

        Rates(double wall, double cpu) {
            this.wall = wall;
            this.cpu = cpu;
        }
    }

    private BouncyCastleBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: BouncyCastleBench KEY.pem [SECONDS]");
            System.exit(2);
        }
        double seconds = args.length == 2 ? Double.parseDouble(args[1]) : 2.0;
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            System.err.println("BouncyCastleBench: SECONDS must be a positive number, not " + args[1]);
            System.exit(2);
        }
        long nanos = (long) (seconds * 1e9);

        Security.addProvider(new BouncyCastleProvider());
        BigInteger d = readPrivateScalar(args[0]);
        X9ECParameters curve = GMNamedCurves.getByName("sm2p256v1");
        ECDomainParameters domain = new ECDomainParameters(
                curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
        ECPrivateKeyParameters privateKey = new ECPrivateKeyParameters(d, domain);
        ECPublicKeyParameters publicKey =
                new ECPublicKeyParameters(domain.getG().multiply(d).normalize(), domain);

        // The same inputs as the other programs: bytes 0..31, and 1 MiB of (i * 31 + 7) mod 256.
        byte[] message = new byte[MESSAGE_BYTES];
        for (int i = 0; i < MESSAGE_BYTES; i++) {
            message[i] = (byte) i;
        }
        byte[] sm3Input = new byte[SM3_INPUT_BYTES];
        for (int i = 0; i < SM3_INPUT_BYTES; i++) {
            sm3Input[i] = (byte) (i * 31 + 7);
        }
        byte[] signature = sign(privateKey, message);
        if (!verify(publicKey, message, signature)) {
            throw new IllegalStateException("BouncyCastle rejected its own signature");
        }

        byte[][] sink = new byte[1][];
        Rates signRate = measure(nanos, () -> sink[0] = sign(privateKey, message));
        Rates verifyRate = measure(nanos, () -> {
            if (!verify(publicKey, message, signature)) {
                throw new IllegalStateException("verification failed");
            }
        });
        byte[] digest = new byte[32];
        Rates sm3Rate = measure(nanos, () -> {
            SM3Digest sm3 = new SM3Digest();
            sm3.update(sm3Input, 0, sm3Input.length);
            sm3.doFinal(digest, 0);
        });

        System.out.println("# BouncyCastle " + BouncyCastleProvider.class.getPackage().getImplementationVersion()
                + " (" + new BouncyCastleProvider().getInfo() + "), Java " + System.getProperty("java.version"));
        print("sm2_sign", signRate, 1.0, "ops/s");
        print("sm2_verify", verifyRate, 1.0, "ops/s");
        print("sm3_1MiB", sm3Rate, SM3_INPUT_BYTES / 1e6, "MB/s");
    }

    private static byte[] sign(ECPrivateKeyParameters key, byte[] message) throws CryptoException {
        SM2Signer signer = new SM2Signer();
        signer.init(true, new ParametersWithID(key, SM2_ID));
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    private static boolean verify(ECPublicKeyParameters key, byte[] message, byte[] signature) {
        SM2Signer verifier = new SM2Signer();
        verifier.init(false, new ParametersWithID(key, SM2_ID));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /** Reads the private scalar of an unencrypted PKCS#8 SM2 key in PEM. */
    private static BigInteger readPrivateScalar(String path) throws Exception {
        String pem = new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.US_ASCII);
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        KeyFactory factory = KeyFactory.getInstance("EC", BouncyCastleProvider.PROVIDER_NAME);
        return ((BCECPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(der))).getD();
    }

    private static Rates measure(long nanos, Operation operation) throws Exception {
        long warmUpEnd = System.nanoTime() + nanos / 10 + 1_000_000_000L;
        while (System.nanoTime() < warmUpEnd) {
            operation.run();
        }
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long count = 0;
        while (true) {
            operation.run();
            count++;
            long elapsed = System.nanoTime() - start;
            if (elapsed >= nanos) {
                long cpuElapsed = THREADS.getCurrentThreadCpuTime() - cpuStart;
                return new Rates(count / (elapsed / 1e9), count / (cpuElapsed / 1e9));
            }
        }
    }

    private static void print(String name, Rates rates, double scale, String unit) {
        System.out.printf("%s %.1f %s cpu %.1f %s%n", name, rates.wall * scale, unit, rates.cpu * scale, unit);
    }
}
