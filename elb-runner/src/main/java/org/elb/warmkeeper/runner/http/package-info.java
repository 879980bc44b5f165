/**
 * The runner's HTTP API with the dashboard's endpoints, on the JDK's HTTP server and Jackson:
 * {@link org.elb.warmkeeper.runner.http.HttpApi} (routes, error mapping, drain), the caller's
 * {@link org.elb.warmkeeper.runner.http.Identity} (a gateway header or a validated bearer JWT),
 * {@link org.elb.warmkeeper.runner.http.Health} components, and the strict request parsing behind them.
 */
@NullMarked
package org.elb.warmkeeper.runner.http;

import org.jspecify.annotations.NullMarked;
