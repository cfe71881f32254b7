package io.gatehouse.proxy.cli;

/** The exit codes other tooling relies on. */
final class ExitCodes {
    static final int OK = 0;
    static final int RUNTIME_ERROR = 1;
    static final int CONFIG_ERROR = 2;

    private ExitCodes() {
    }
}
