package org.elb.warmkeeper.spring.boot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The library's version: the starter jar's manifest {@code Implementation-Version} when it has one, else
 * the {@code version} the build wrote into {@value #RESOURCE} (classes run from a directory, as in the
 * build's own tests, have no manifest), else {@code unknown}.
 */
public final class ElbVersion {

    /** The resource the build filters with the project's version. */
    public static final String RESOURCE = "META-INF/elb-warmkeeper/starter.properties";

    private static final String VERSION = read();

    private ElbVersion() {}

    public static String version() {
        return VERSION;
    }

    private static String read() {
        String manifest = ElbVersion.class.getPackage().getImplementationVersion();
        if (manifest != null && !manifest.isBlank()) {
            return manifest;
        }
        try (InputStream in = ElbVersion.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) {
                    return v.strip();
                }
            }
        } catch (IOException e) {
            // unknown below
        }
        return "unknown";
    }
}
