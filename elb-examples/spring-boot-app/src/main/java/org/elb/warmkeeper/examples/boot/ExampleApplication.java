package org.elb.warmkeeper.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A service that keeps its clusters' BLAST databases warm: everything comes from the starter and the
 * {@code elb.*} properties in {@code application.properties}; there is no ELB Warmkeeper code here.
 */
@SpringBootApplication
public class ExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
