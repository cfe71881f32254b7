/**
 * JMH benchmarks of Gatehouse's hot paths. Speed is measured here and in the comparison scripts, never asserted in
 * unit tests. Run: {@code java -jar benchmarks/target/benchmarks.jar -prof gc}.
 */
package io.gatehouse.benchmarks;
