package io.gatehouse.proxy;

/**
 * A user event fired down every downstream pipeline on shutdown: finish what is in flight, take nothing new,
 * close when idle.
 */
public enum DrainRequested {
    INSTANCE
}
