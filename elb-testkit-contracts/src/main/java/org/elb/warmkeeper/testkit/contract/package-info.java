/**
 * Contract suites: abstract JUnit 5 classes, one per port, that every fake and every real adapter extends
 * with a factory method and a few hooks (timings a slow backend needs are overridable), so that a harness
 * that swaps in fakes tests what production will do. Where a port has no write method for what a test
 * must seed (enabling auto-warm, marking a database downloaded), the suite takes a seeding hook that the
 * fake and the store both implement.
 */
@NullMarked
package org.elb.warmkeeper.testkit.contract;

import org.jspecify.annotations.NullMarked;
