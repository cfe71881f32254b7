package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadStacksTest {

    @Test
    void showsEveryThreadWithItsStateAndWhereItIs() {
        assertThat(ThreadStacks.all())
                .contains("\"" + Thread.currentThread().getName() + "\" RUNNABLE")
                .contains(ThreadStacksTest.class.getName() + ".showsEveryThreadWithItsStateAndWhereItIs(");
    }
}
