/**
 * The benchmark report: {@link org.elb.warmkeeper.benchmarks.ReportMain} runs every benchmark of the
 * sub-packages ({@code jdbi}, {@code redis}, {@code k8s}) and writes one Markdown file with the machine.
 */
@NullMarked
package org.elb.warmkeeper.benchmarks;

import org.jspecify.annotations.NullMarked;
