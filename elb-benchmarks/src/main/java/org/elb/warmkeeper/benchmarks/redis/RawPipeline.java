package org.elb.warmkeeper.benchmarks.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Redis's own pipelined limit for one lock step, from Java: the same {@code SET key value PX ttl NX}
 * commands the lock sends, written at once on a plain socket as prebuilt RESP bytes (as
 * {@code redis-benchmark -P N -c 1} does) and their N replies read back, with no client library. What
 * is left is the server's work, the loopback and the parsing of the replies: the floor under any lock
 * call that writes each key.
 */
final class RawPipeline implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawPipeline(String redisUrl) throws IOException {
        URI uri = URI.create(redisUrl);
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 5_000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        String info = uri.getUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            byte[] auth = colon < 0
                    ? command("AUTH", info)
                    : command(
                            "AUTH",
                            info.substring(0, colon).isEmpty() ? "default" : info.substring(0, colon),
                            info.substring(colon + 1));
            send(auth, 1);
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            send(command("SELECT", path.substring(1)), 1);
        }
    }

    /** The RESP bytes of {@code SET key value PX ttl NX} for every key, one after the other. */
    static byte[] setNxPx(List<String> keys, String value, long ttlMillis) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String key : keys) {
            b.writeBytes(command("SET", key, value, "PX", Long.toString(ttlMillis), "NX"));
        }
        return b.toByteArray();
    }

    static byte[] command(String... args) {
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code commands} (prebuilt RESP) at once and reads {@code replies} replies.
     *
     * @return how many replies were {@code +OK} (keys set); the others were nil (held)
     */
    int send(byte[] commands, int replies) throws IOException {
        out.write(commands);
        out.flush();
        int ok = 0;
        for (int i = 0; i < replies; i++) {
            int type = in.read();
            if (type == '+') {
                ok++;
            } else if (type == '-') {
                throw new IOException("redis answered an error: " + line());
            } else if (type != '$' && type != ':') {
                throw new IOException("unexpected reply type " + type);
            }
            line(); // "+OK", "$-1" (nil: held) or ":n"
        }
        return ok;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read(); // '\n'
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
