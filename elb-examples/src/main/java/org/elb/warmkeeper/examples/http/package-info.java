/**
 * An HTTP API example with the dashboard's endpoints, on the JDK's HTTP server and Jackson:
 * {@link org.elb.warmkeeper.examples.http.HttpApi}.
 */
@NullMarked
package org.elb.warmkeeper.examples.http;

import org.jspecify.annotations.NullMarked;
