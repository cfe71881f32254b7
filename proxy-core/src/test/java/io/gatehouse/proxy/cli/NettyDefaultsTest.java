package io.gatehouse.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {

    @Test
    void leakDetectionIsOffUnlessTheOperatorChoseALevel() {
        assertThat(NettyDefaults.leakDetectionLevel(name -> null)).contains(ResourceLeakDetector.Level.DISABLED);
    }

    @Test
    void anExplicitLevelIsLeftAsTheOperatorSetIt() {
        assertThat(NettyDefaults.leakDetectionLevel(Map.of("io.netty.leakDetection.level", "simple")::get)).isEmpty();
        assertThat(NettyDefaults.leakDetectionLevel(Map.of("io.netty.leakDetectionLevel", "advanced")::get)).isEmpty();
    }
}
