package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1:5000 | 127.0.0.1 | 5000",
            "[::1]:5000 | ::1 | 5000",
            "[fd00::5]:35357 | fd00::5 | 35357",
            "Keystone.Example.COM:443 | keystone.example.com | 443",
            "127.0.0.1,8080 | 127.0.0.1 | 8080",
            "localhost,80 | localhost | 80"})
    void everyStudHitchAndYamlSpellingParses(String text, String host, int port) {
        assertThat(HostPort.parse(text, false)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"*:443", "[*]:443", "'*,443'", ":443", "'[*],443'"})
    void wildcardSpellingsMeanEveryAddress(String text) {
        HostPort parsed = HostPort.parse(text, true);
        assertThat(parsed.isWildcard()).isTrue();
        assertThat(parsed.port()).isEqualTo(443);
        assertThat(parsed).hasToString("*:443");
    }

    @Test
    void wildcardIsRefusedWhereAServerIsNeeded() {
        assertThatThrownBy(() -> HostPort.parse("*:35357", false))
                .hasMessageContaining("needs a host name or address here, not a wildcard");
    }

    @Test
    void bareIpv6IsRefusedWithTheBracketedSpellingAsTheFix() {
        assertThatThrownBy(() -> HostPort.parse("fd00::5:443", false)).hasMessageContaining("[ADDRESS]:PORT");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"127.0.0.1", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:65536", "127.0.0.1:123456", "[::1:443", "[]:443"})
    void malformedAddressesExplainWhatIsExpected(String text) {
        assertThatThrownBy(() -> HostPort.parse(text, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @Test
    void ipv6IsBracketedWhenPrinted() {
        assertThat(new HostPort("fd00::5", 443)).hasToString("[fd00::5]:443");
    }
}
