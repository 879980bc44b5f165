/**
 * Test-only fixtures that break the core's dependency rules on purpose, so that CoreDependencyRuleTest
 * can show its rules fail when they should. Never part of the production classes.
 */
package org.elb.warmkeeper.core.archfixture;
