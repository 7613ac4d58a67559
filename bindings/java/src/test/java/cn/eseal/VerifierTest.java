package cn.eseal;

import static cn.eseal.TestFiles.SIGNING_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A verifier keeps its cache between calls and gives the reports Signature.verify gives. */
class VerifierTest {
    @Test
    void cachedReportsMatchUncached() throws IOException {
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Verifier verifier = new Verifier();
                TrustPolicy noRoots = new TrustPolicy()) {
            // Twenty signatures by one signer: from the eighth verification on, the verifier
            // checks the signer's signature with the key's table.
            for (int i = 0; i < 20; i++) {
                byte[] document = ("document " + i + " of the archive")
                        .getBytes(StandardCharsets.UTF_8);
                try (Signature signature =
                        Signer.sign(seal, key, cert, document, SIGNING_TIME, "archive.txt")) {
                    VerificationReport report = verifier.verify(signature, document);
                    assertTrue(report.isValid(), report.json());
                    assertEquals(signature.verify(document).json(), report.json());
                    assertTrue(verifier.verifyDigest(signature, Eseal.sm3(document), null)
                            .isValid());
                    assertEquals(CheckStatus.NOT_CHECKED, verifier.verify(signature, null)
                            .findCheck("signature.data_hash").status());

                    byte[] changed = document.clone();
                    changed[0] ^= 1;
                    VerificationReport wrongData = verifier.verify(signature, changed);
                    assertFalse(wrongData.isValid());
                    assertEquals(CheckStatus.FAILED,
                            wrongData.findCheck("signature.data_hash").status());

                    VerificationReport untrusted = verifier.verify(signature, document, noRoots);
                    assertFalse(untrusted.isValid());
                    assertEquals(CheckStatus.FAILED,
                            untrusted.findCheck("signature.signer_certificate_chain").status());

                    byte[] der = signature.der();
                    der[der.length - 1] ^= 1;
                    try (Signature forged = Signature.fromDer(der)) {
                        VerificationReport forgedReport = verifier.verify(forged, document);
                        assertFalse(forgedReport.isValid());
                        assertEquals(CheckStatus.FAILED,
                                forgedReport.findCheck("signature.signer_signature").status());
                    }
                    assertThrows(IllegalArgumentException.class,
                            () -> verifier.verifyDigest(signature, new byte[31], null));
                }
            }
            assertThrows(NullPointerException.class, () -> verifier.verify(null, new byte[0]));
        }
    }

    @Test
    void closedVerifierRejectsCalls() throws IOException {
        Verifier verifier = new Verifier();
        verifier.close();
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature signature = Signer.sign(seal, key, cert, new byte[] {1}, SIGNING_TIME,
                        null)) {
            assertThrows(IllegalStateException.class, () -> verifier.verify(signature, null));
        }
    }
}
