/**
 * An HTTP API example with the dashboard's endpoints, on the JDK's HTTP server and Jackson:
 * {@link org.elb.warmkeeper.runner.http.HttpApi}.
 */
@NullMarked
package org.elb.warmkeeper.runner.http;

import org.jspecify.annotations.NullMarked;
