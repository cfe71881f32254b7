package io.gatehouse.proxy;

import java.util.Map;

/** Every thread's name, state and stack as text: what a log needs to show where a process is stuck. */
public final class ThreadStacks {

    private ThreadStacks() {
    }

    public static String all() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            out.append('"').append(entry.getKey().getName()).append("\" ").append(entry.getKey().getState()).append('\n');
            for (StackTraceElement frame : entry.getValue()) {
                out.append("    at ").append(frame).append('\n');
            }
        }
        return out.toString();
    }
}
