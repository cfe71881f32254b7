package io.gatehouse.sni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTicketKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void keysAreReadInOrderWithHaproxysLayoutOfNameAesAndHmac() throws Exception {
        byte[] first = new byte[48];
        for (int i = 0; i < 48; i++) {
            first[i] = (byte) i;
        }
        byte[] second = new byte[48];
        Arrays.fill(second, (byte) 7);
        Path file = Files.writeString(dir.resolve("tickets.key"), "# rotated by cron\n" + Base64.getEncoder().encodeToString(first)
                + "\n\n" + Base64.getEncoder().encodeToString(second) + "\n");
        List<OpenSslSessionTicketKey> keys = SessionTicketKeyFile.read(file, "key-file");
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0).name()).isEqualTo(Arrays.copyOfRange(first, 0, 16));
        assertThat(keys.get(0).aesKey()).isEqualTo(Arrays.copyOfRange(first, 16, 32));
        assertThat(keys.get(0).hmacKey()).isEqualTo(Arrays.copyOfRange(first, 32, 48));
    }

    @Test
    void aHalfWrittenOrWrongFileIsRefusedWithTheLineAndTheFix() throws Exception {
        Path truncated = Files.writeString(dir.resolve("truncated.key"), Base64.getEncoder().encodeToString(new byte[30]) + "\n");
        assertThatThrownBy(() -> SessionTicketKeyFile.read(truncated, "key-file"))
                .hasMessage("key-file: " + truncated + " line 1 holds 30 bytes, not 48 (make keys with: openssl rand -base64 48)");
        Path garbage = Files.writeString(dir.resolve("garbage.key"), "not base64 !!\n");
        assertThatThrownBy(() -> SessionTicketKeyFile.read(garbage, "key-file")).hasMessageContaining("line 1 is not base64");
        Path empty = Files.writeString(dir.resolve("empty.key"), "\n# nothing\n");
        assertThatThrownBy(() -> SessionTicketKeyFile.read(empty, "key-file")).hasMessageContaining("holds no key");
    }
}
