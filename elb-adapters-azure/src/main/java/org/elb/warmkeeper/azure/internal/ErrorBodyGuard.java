package org.elb.warmkeeper.azure.internal;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.FluxUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A pipeline policy that keeps hostile ARM error bodies away from the SDK's recursive error parser (a
 * 900-level nested body overflowed its stack on an SDK thread, and the create then waited forever).
 * An error response (HTTP 400 or more) whose body is nested deeper than {@value #MAX_DEPTH} levels or is
 * larger than {@value #MAX_BYTES} bytes gets, in its place, a small body with the code of its HTTP status
 * ({@link ArmErrors#codeForStatus}) and a message saying what was dropped. Other responses pass unchanged.
 */
public final class ErrorBodyGuard implements HttpPipelinePolicy {

    /** Deepest nesting of an error body passed to the SDK. */
    public static final int MAX_DEPTH = 64;
    /** Largest error body passed to the SDK. */
    public static final int MAX_BYTES = 1 << 20;

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return next.process().flatMap(response -> {
            if (response.getStatusCode() < 400) {
                return Mono.just(response);
            }
            return FluxUtil.collectBytesInByteBufferStream(response.getBody())
                    .defaultIfEmpty(new byte[0])
                    .map(bytes -> (HttpResponse) new Buffered(response, guard(response.getStatusCode(), bytes)));
        });
    }

    /** {@code body}, or a small replacement when it is too deep or too large. */
    static byte[] guard(int status, byte[] body) {
        int depth = body.length > MAX_BYTES ? -1 : ArmJson.depth(body);
        if (depth >= 0 && depth <= MAX_DEPTH) {
            return body;
        }
        String why = depth < 0 ? "larger than " + MAX_BYTES + " bytes" : "nested deeper than " + MAX_DEPTH + " levels";
        return ("{\"error\":{\"code\":\"" + ArmErrors.codeForStatus(status) + "\",\"message\":\"ARM answered HTTP "
                        + status + " with an error body of " + body.length + " bytes " + why
                        + "; it was not parsed\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A response with its body in memory. */
    private static final class Buffered extends HttpResponse {
        private final HttpResponse original;
        private final byte[] body;

        Buffered(HttpResponse original, byte[] body) {
            super(original.getRequest());
            this.original = original;
            this.body = body;
        }

        @Override
        public int getStatusCode() {
            return original.getStatusCode();
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return original.getHeaders().getValue(HttpHeaderName.fromString(name));
        }

        @Override
        public HttpHeaders getHeaders() {
            return original.getHeaders();
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.defer(() -> Flux.just(ByteBuffer.wrap(body)));
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.fromCallable(() -> body);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.fromCallable(() -> new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public Mono<String> getBodyAsString(java.nio.charset.Charset charset) {
            return Mono.fromCallable(() -> new String(body, charset));
        }

        @Override
        public void close() {
            original.close();
        }
    }
}
