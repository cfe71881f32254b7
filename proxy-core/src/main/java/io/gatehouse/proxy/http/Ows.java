package io.gatehouse.proxy.http;

/** Optional whitespace in HTTP field values: a space or a horizontal tab (RFC 9110 section 5.6.3). */
final class Ows {

    private Ows() {
    }

    static boolean is(char c) {
        return c == ' ' || c == '\t';
    }
}
