import cn.eseal.Check;
import cn.eseal.CheckStatus;
import cn.eseal.EsealException;
import cn.eseal.OfdDocument;
import cn.eseal.OfdSignatureReport;
import cn.eseal.OfdVerificationReport;
import java.nio.file.Paths;

/**
 * Verifies every signature of an OFD document and prints one line per signature, with the
 * checks that failed and the files changed after signing.
 *
 * <pre>java -cp eseal.jar:jna.jar:. VerifyOfd DOC.ofd [--json]</pre>
 *
 * Exits with 0 when the document is valid, 1 when it is invalid and 2 when it cannot be read.
 */
public final class VerifyOfd {
    public static void main(String[] args) {
        boolean json = args.length == 2 && args[1].equals("--json");
        if (args.length != 1 && !json) {
            System.err.println("usage: VerifyOfd DOC.ofd [--json]");
            System.exit(2);
        }

        try {
            OfdVerificationReport report = OfdDocument.verify(Paths.get(args[0]));
            if (json) {
                System.out.println(report.json());
            } else {
                System.out.println(report.isValid() ? "valid" : "INVALID");
                for (OfdSignatureReport signature : report.signatures()) {
                    System.out.println("  signature " + signature.id() + " ("
                            + signature.path() + "): "
                            + (signature.isValid() ? "valid" : "INVALID"));
                    for (Check check : signature.checks()) {
                        if (check.status() == CheckStatus.FAILED) {
                            System.out.println("    " + check.name() + ": " + check.message());
                        }
                    }
                    for (String path : signature.failedReferences()) {
                        System.out.println("    changed after signing: " + path);
                    }
                }
            }
            System.exit(report.isValid() ? 0 : 1);
        } catch (EsealException e) {
            System.err.println(args[0] + ": " + e.getMessage());
            System.exit(2);
        }
    }
}
