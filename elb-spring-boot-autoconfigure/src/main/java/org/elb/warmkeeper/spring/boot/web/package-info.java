/**
 * The optional web layer ({@code elb.web.enabled=true}): the runner's dashboard endpoints as Spring MVC
 * controllers, the same paths, parameters, JSON ({@code elb-json}) and status codes.
 */
@NullMarked
package org.elb.warmkeeper.spring.boot.web;

import org.jspecify.annotations.NullMarked;
