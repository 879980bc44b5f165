package org.elb.warmkeeper.azure;

import com.azure.containers.containerregistry.ContainerRegistryClient;
import com.azure.containers.containerregistry.ContainerRegistryClientBuilder;
import com.azure.containers.containerregistry.models.ArtifactManifestProperties;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpPipeline;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.elb.warmkeeper.azure.internal.ArmErrors;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.version.ImageRegistry;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.RegistryException;
import org.elb.warmkeeper.core.version.ServiceName;
import org.jspecify.annotations.Nullable;

/**
 * {@link ImageRegistry} on Azure Container Registry (the ACR data-plane API through the Azure SDK):
 * whether {@code repository:tag} exists (one {@code GET /acr/v1/{repo}/_tags/{tag}}; 404 is "no"), and
 * the tags of a repository. Failures other than 404 throw {@link RegistryException}.
 *
 * <p>Build with {@link #builder(String)} and the registry's login server
 * ({@code https://myregistry.azurecr.io}): {@code DefaultAzureCredential} by default, or a credential, or
 * a ready {@link HttpPipeline} (which also allows a plain {@code http} test server). An optional
 * {@code repositoryPrefix} maps service {@code elb-openapi} to repository {@code <prefix>elb-openapi}.
 */
public final class AcrImageRegistry implements ImageRegistry {

    private final ContainerRegistryClient client;
    private final String endpoint;
    private final String repositoryPrefix;

    private AcrImageRegistry(Builder b) {
        ContainerRegistryClientBuilder cb = new ContainerRegistryClientBuilder().endpoint(b.endpoint);
        if (b.pipeline != null) {
            cb.pipeline(b.pipeline);
        } else {
            cb.credential(b.credential != null ? b.credential : new DefaultAzureCredentialBuilder().build());
        }
        this.client = cb.buildClient();
        this.endpoint = b.endpoint;
        this.repositoryPrefix = b.repositoryPrefix;
    }

    public static Builder builder(String endpoint) {
        return new Builder(endpoint);
    }

    @Override
    public boolean tagExists(ServiceName repository, ImageTag tag) {
        String repo = repositoryPrefix + repository.value();
        try {
            client.getArtifact(repo, tag.value()).getTagProperties(tag.value());
            return true;
        } catch (HttpResponseException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return false;
            }
            throw failed("tag lookup of " + repo + ":" + tag, e);
        } catch (RuntimeException e) {
            throw failed("tag lookup of " + repo + ":" + tag, e);
        }
    }

    /**
     * The tags of {@code repository}, sorted; empty when the repository does not exist.
     *
     * @throws RegistryException when the registry cannot answer
     */
    public List<ImageTag> listTags(ServiceName repository) {
        Checks.required(repository, "repository");
        String repo = repositoryPrefix + repository.value();
        TreeSet<String> tags = new TreeSet<>();
        try {
            for (ArtifactManifestProperties m : client.getRepository(repo).listManifestProperties()) {
                if (m.getTags() != null) {
                    tags.addAll(m.getTags());
                }
            }
        } catch (HttpResponseException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return List.of();
            }
            throw failed("tag list of " + repo, e);
        } catch (RuntimeException e) {
            throw failed("tag list of " + repo, e);
        }
        List<ImageTag> out = new ArrayList<>();
        for (String t : tags) {
            try {
                out.add(ImageTag.of(t));
            } catch (IllegalArgumentException ignored) {
                // not a tag this library can compare; skip it
            }
        }
        return List.copyOf(out);
    }

    private RegistryException failed(String what, RuntimeException e) {
        ArmError error = ArmErrors.of(e);
        return new RegistryException(what + " at " + endpoint + " failed: " + error.code() + ": " + error.message(), e);
    }

    @Override
    public String toString() {
        return "AcrImageRegistry[" + endpoint + (repositoryPrefix.isEmpty() ? "" : ", prefix=" + repositoryPrefix)
                + "]";
    }

    /** Builder of {@link AcrImageRegistry}. */
    public static final class Builder {
        /** Default repository prefix: none. */
        public static final String DEFAULT_REPOSITORY_PREFIX = "";

        private final String endpoint;
        private @Nullable HttpPipeline pipeline;
        private @Nullable TokenCredential credential;
        private String repositoryPrefix = DEFAULT_REPOSITORY_PREFIX;

        private Builder(String endpoint) {
            this.endpoint = Checks.matches(
                    endpoint,
                    "endpoint",
                    java.util.regex.Pattern.compile("https?://[^\\s/?#]+/?"),
                    "the registry's login server URL, e.g. https://myregistry.azurecr.io");
        }

        /** A ready pipeline (its policies authenticate); replaces the credential. */
        public Builder pipeline(HttpPipeline pipeline) {
            this.pipeline = Checks.required(pipeline, "pipeline");
            return this;
        }

        /** A credential instead of the default {@code DefaultAzureCredential}. */
        public Builder credential(TokenCredential credential) {
            this.credential = Checks.required(credential, "credential");
            return this;
        }

        /** Prepended to the service name to make the repository name; default none. Lower-case, ends with '/'. */
        public Builder repositoryPrefix(String repositoryPrefix) {
            this.repositoryPrefix = Checks.matches(
                    repositoryPrefix,
                    "repositoryPrefix",
                    java.util.regex.Pattern.compile("([a-z0-9._-]+/)*"),
                    "empty, or lower-case path segments each ending with '/'");
            return this;
        }

        public AcrImageRegistry build() {
            return new AcrImageRegistry(this);
        }
    }
}
