/**
 * Health indicators for the Boot 3 and the Boot 4 actuator APIs, each registered only where its API is
 * on the class path; both show {@link org.elb.warmkeeper.spring.boot.ElbHealth}'s reading as {@code elb}.
 */
@NullMarked
package org.elb.warmkeeper.spring.boot.actuate;

import org.jspecify.annotations.NullMarked;
