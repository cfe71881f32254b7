package io.gatehouse.sni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gatehouse.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SniMappingTest {

    static TestCertificates pki;
    static SniMapping<String> mapping;

    @BeforeAll
    static void build() throws Exception {
        pki = new TestCertificates();
        mapping = SniMapping.build("public", List.of(
                server("default", pki.leaf("overcloud.example.com", "overcloud.example.com")),
                server("wild", pki.leaf("wild", "*.example.com")),
                server("exact", pki.leaf("nova", "nova.example.com")),
                server("cn-only", pki.leaf("cn-only.example.org"))),
                List.of("default", "wild", "exact", "cn-only"), "test.yaml");
    }

    static ServerCertificate server(String nickname, ThrowawayPki.Issued bundle) {
        return new ServerCertificate(new CertificateNickname(nickname), "test", bundle.keys().getPrivate(),
                List.of(bundle.certificate()));
    }

    @ParameterizedTest(name = "{0} -> {1} ({2})")
    @CsvSource(nullValues = "NULL", value = {
            "nova.example.com, exact, EXACT",
            "NOVA.Example.COM, exact, EXACT",
            "nova.example.com., exact, EXACT",
            "glance.example.com, wild, WILDCARD",
            "a.b.example.com, default, DEFAULT",
            "example.com, default, DEFAULT",
            "overcloud.example.com, default, EXACT",
            "cn-only.example.org, cn-only, EXACT",
            "unknown.test, default, DEFAULT",
            "NULL, default, DEFAULT"})
    void namesMatchExactThenLeftmostWildcardThenDefault(String serverName, String expected, SniMatch kind) {
        assertThat(mapping.select(serverName)).isEqualTo(expected);
        assertThat(mapping.match(serverName)).isEqualTo(kind);
    }

    @Test
    void theCommonNameIsIgnoredWhenTheCertificateHasSans() throws Exception {
        ServerCertificate cert = server("x", pki.leaf("cn.example.com", "san.example.com"));
        assertThat(cert.dnsNames()).containsExactly("san.example.com");
    }

    @Test
    void twoCertificatesClaimingOneNameWithTheSameKeyTypeAreAmbiguous() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> SniMapping.build("internal_api", List.of(
                server("first", pki.leaf("a", "keystone.example.com")),
                server("second", pki.leaf("b", "KEYSTONE.example.com"))), List.of("1", "2"), "test.yaml"));
        assertThat(e.problems()).containsExactly("listener internal_api: certificates 'first' and 'second' both claim"
                + " keystone.example.com with a EC key (remove the name from one, or serve them on different listeners)");
    }
}
