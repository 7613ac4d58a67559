import cn.eseal.Check;
import cn.eseal.EsealException;
import cn.eseal.Finding;
import cn.eseal.Signature;
import cn.eseal.VerificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Verifies a SignedValue.dat, against the signed data when it is given, and prints the checks.
 *
 * <pre>java -cp eseal.jar:jna.jar:. VerifySignature SignedValue.dat [Signature.xml] [--json]</pre>
 *
 * Exits with 0 when the signature is valid, 1 when it is invalid and 2 when a file cannot be
 * read or is not a signature.
 */
public final class VerifySignature {
    public static void main(String[] args) {
        boolean json = false;
        String signaturePath = null;
        String dataPath = null;
        for (String arg : args) {
            if (arg.equals("--json")) {
                json = true;
            } else if (signaturePath == null) {
                signaturePath = arg;
            } else if (dataPath == null) {
                dataPath = arg;
            } else {
                signaturePath = null;
                break;
            }
        }
        if (signaturePath == null) {
            System.err.println("usage: VerifySignature SignedValue.dat [Signature.xml] [--json]");
            System.exit(2);
        }

        try {
            byte[] der = Files.readAllBytes(Paths.get(signaturePath));
            byte[] data = dataPath == null ? null : Files.readAllBytes(Paths.get(dataPath));
            VerificationReport report;
            try (Signature signature = Signature.fromDer(der)) {
                report = signature.verify(data);
            }

            if (json) {
                System.out.println(report.json());
            } else {
                System.out.println(report.isValid() ? "valid" : "INVALID");
                for (Check check : report.checks()) {
                    System.out.println("  " + check.status() + "  " + check.name() + ": "
                            + check.message());
                }
                for (Finding finding : report.findings()) {
                    System.out.println("  finding " + finding.code() + ": " + finding.message());
                }
            }
            System.exit(report.isValid() ? 0 : 1);
        } catch (IOException e) {
            System.err.println("cannot read " + e.getMessage());
            System.exit(2);
        } catch (EsealException e) {
            System.err.println(signaturePath + ": " + e.getMessage());
            System.exit(2);
        }
    }
}
