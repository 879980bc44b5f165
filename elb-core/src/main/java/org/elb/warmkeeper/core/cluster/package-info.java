/**
 * Value types shared by every capability: a cluster reference by Azure's naming rules, a BLAST
 * database name and an owner id. Each validates at construction and names the field and the rule
 * it broke.
 */
@NullMarked
package org.elb.warmkeeper.core.cluster;

import org.jspecify.annotations.NullMarked;
