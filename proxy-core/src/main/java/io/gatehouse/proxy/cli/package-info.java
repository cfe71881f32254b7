/**
 * The {@code gatehouse} command line: {@code run}, {@code check}, {@code demo}, and the stud/hitch drop-in form.
 * Exit codes: 0 success, 1 runtime failure, 2 configuration or usage error.
 */
package io.gatehouse.proxy.cli;
