package cn.eseal;

import static cn.eseal.TestFiles.VALID_FROM;
import static cn.eseal.TestFiles.VALID_TO;
import static cn.eseal.TestFiles.key;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The test PKI from vectors/keys: the seal maker (SealBuilder.*) and the signer (USER.*) that
 * its seals authorise. Each test closes what it opens.
 */
final class TestSeals {
    static final byte[] PICTURE = ("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\""
                    + " height=\"40\"><circle cx=\"20\" cy=\"20\" r=\"18\" fill=\"red\"/></svg>")
            .getBytes(StandardCharsets.UTF_8);

    static final String ES_ID = "11010000000001";
    static final String NAME = "教务处成绩专用章";

    private TestSeals() {}

    static PrivateKey makerKey() throws IOException {
        return PrivateKey.fromBytes(key("SealBuilder.key.pem"));
    }

    static Certificate makerCert() throws IOException {
        return Certificate.fromBytes(key("SealBuilder.cert.pem"));
    }

    static PrivateKey userKey() throws IOException {
        return PrivateKey.fromBytes(key("USER.key.pem"));
    }

    static Certificate userCert() throws IOException {
        return Certificate.fromBytes(key("USER.cert.pem"));
    }

    /** Starts a builder for a V4 seal valid in 2021 with a picture, authorising no signer yet. */
    static SealBuilder builder() {
        SealBuilder builder = new SealBuilder(ES_ID, NAME);
        try {
            builder.validity(VALID_FROM, VALID_TO).picture(PICTURE, 40, 40);
            return builder;
        } catch (RuntimeException e) {
            builder.close();
            throw e;
        }
    }

    /** Makes a V4 seal with SealBuilder.* that authorises USER.cert.pem. */
    static Seal userSeal() throws IOException {
        try (PrivateKey makerKey = makerKey();
                Certificate makerCert = makerCert();
                Certificate userCert = userCert();
                SealBuilder builder = builder()) {
            return builder.addSigner(userCert).sign(makerKey, makerCert);
        }
    }
}
