package io.gatehouse.sni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gatehouse.config.CertificateSource;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.HostPort;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.ListenerMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateStoreTest {

    @TempDir
    Path dir;

    private Path pem(String relative, ThrowawayPki.Issued bundle) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, bundle.certificatePem() + bundle.privateKeyPem());
        return file;
    }

    private static ListenerConfig listener(int index, CertificateSource... sources) {
        return new ListenerConfig("listeners[" + index + "]", "l" + index, new HostPort("127.0.0.1", 5000 + index), ListenerMode.HTTP,
                List.of(sources), "b", Optional.empty());
    }

    private static GatehouseConfig config(ListenerConfig... listeners) {
        return new GatehouseConfig("test.yaml", List.of(listeners), Map.of());
    }

    @Test
    void duplicateNicknameFromTwoFilesFailsStartupNamingBothSources() throws Exception {
        TestCertificates pki = new TestCertificates();
        Path internal = pem("internal_api/server.pem", pki.leaf("a"));
        Path storage = pem("storage/server.pem", pki.leaf("b"));
        GatehouseConfig config = config(
                listener(0, new CertificateSource.CombinedPem("listeners[0].certificates[0]", internal, Optional.empty())),
                listener(1, new CertificateSource.CombinedPem("listeners[1].certificates[0]", storage, Optional.empty())));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> CertificateStore.load(config));
        assertThat(e.problems()).containsExactly("listeners[1].certificates[0]: nickname 'server' is used by two different sources: "
                + "listeners[0].certificates[0] (pem " + internal + ") and listeners[1].certificates[0] (pem " + storage
                + ") (set a distinct nickname: on one of them)");
    }

    @Test
    void theSameFileOnManyListenersIsOneCertificateNotAClash() throws Exception {
        Path vip = pem("vip.pem", new TestCertificates().leaf("vip"));
        Path sameFileOtherSpelling = dir.resolve("sub/../vip.pem");
        Files.createDirectories(dir.resolve("sub"));
        GatehouseConfig config = config(
                listener(0, new CertificateSource.CombinedPem("listeners[0].certificates[0]", vip, Optional.empty())),
                listener(1, new CertificateSource.CombinedPem("listeners[1].certificates[0]", sameFileOtherSpelling, Optional.empty())));
        CertificateStore store = CertificateStore.load(config);
        assertThat(store.all()).hasSize(1);
        assertThat(store.certificatesOf(config.listeners().get(0)).get(0)).isSameAs(store.certificatesOf(config.listeners().get(1)).get(0));
    }

    @Test
    void explicitNicknamesResolveAClash() throws Exception {
        TestCertificates pki = new TestCertificates();
        Path a = pem("a/server.pem", pki.leaf("a"));
        Path b = pem("b/server.pem", pki.leaf("b"));
        CertificateStore store = CertificateStore.load(config(listener(0,
                new CertificateSource.CombinedPem("listeners[0].certificates[0]", a, Optional.of("internal_api")),
                new CertificateSource.CombinedPem("listeners[0].certificates[1]", b, Optional.of("storage")))));
        assertThat(store.all()).extracting(c -> c.nickname().value()).containsExactly("internal_api", "storage");
    }

    @Test
    void everyUnloadableSourceIsReportedTogether() throws Exception {
        Files.writeString(dir.resolve("empty1.pem"), "");
        Files.writeString(dir.resolve("empty2.pem"), "");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> CertificateStore.load(config(listener(0,
                new CertificateSource.CombinedPem("listeners[0].certificates[0]", dir.resolve("empty1.pem"), Optional.empty()),
                new CertificateSource.CombinedPem("listeners[0].certificates[1]", dir.resolve("empty2.pem"), Optional.empty())))));
        assertThat(e.problems()).hasSize(2);
    }
}
