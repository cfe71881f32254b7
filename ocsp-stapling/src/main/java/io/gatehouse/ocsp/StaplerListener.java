package io.gatehouse.ocsp;

/** What a stapler reports, for metrics. Called on the stapling executor. */
public interface StaplerListener {

    void fetched(String nickname, OcspCertStatus status);

    void rejected(String nickname, String reason);

    void stapleExpired(String nickname);

    StaplerListener NONE = new StaplerListener() {
        @Override
        public void fetched(String nickname, OcspCertStatus status) {
        }

        @Override
        public void rejected(String nickname, String reason) {
        }

        @Override
        public void stapleExpired(String nickname) {
        }
    };
}
