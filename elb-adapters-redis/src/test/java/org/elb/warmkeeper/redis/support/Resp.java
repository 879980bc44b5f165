package org.elb.warmkeeper.redis.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.elb.warmkeeper.testservers.TestRedis;

/**
 * A plain RESP client over a socket, independent of Redisson: it sees Redis as the Python dashboard
 * (redis-py) does. Not thread-safe.
 */
public final class Resp implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public Resp(String host, int port, int database) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(5000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (database != 0) {
            call("SELECT", Integer.toString(database));
        }
    }

    public static Resp to(TestRedis.Target target) {
        return new Resp(target.host(), target.port(), target.database());
    }

    /** Sends a command and reads its reply: String, Long, null, List, or throws on an error reply. */
    public Object call(String... args) {
        send(args);
        return read();
    }

    public void send(String... args) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                b.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                b.write(bytes);
                b.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(b.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Object read() {
        try {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new IllegalStateException("redis error: " + line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int len = Integer.parseInt(line);
                    if (len < 0) {
                        return null;
                    }
                    byte[] data = in.readNBytes(len);
                    line();
                    return new String(data, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items;
                }
                default:
                    throw new IllegalStateException("unexpected RESP type " + type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes every key matching {@code pattern} (SCAN, so the shared server is never blocked). */
    @SuppressWarnings("unchecked")
    public int deleteMatching(String pattern) {
        String cursor = "0";
        int deleted = 0;
        do {
            List<Object> reply = (List<Object>) call("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
            cursor = (String) reply.get(0);
            for (Object key : (List<Object>) reply.get(1)) {
                deleted += ((Long) call("DEL", (String) key)).intValue();
            }
        } while (!cursor.equals("0"));
        return deleted;
    }

    public void soTimeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        in.read();
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
