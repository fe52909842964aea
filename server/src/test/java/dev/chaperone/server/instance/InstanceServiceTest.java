package dev.chaperone.server.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.chaperone.server.chain.ChainCompiler;
import dev.chaperone.server.chain.ChainEntry;
import dev.chaperone.server.chain.ChainValidationException;
import dev.chaperone.server.chain.CompiledChain;
import dev.chaperone.server.plugin.LoadedPlugin;
import dev.chaperone.server.plugin.PluginRegistry;
import dev.chaperone.server.secret.SecretCipher;
import dev.chaperone.server.store.InstanceRecord;
import dev.chaperone.server.store.StoreException;

class InstanceServiceTest {

    private final MemoryInstanceStore store = new MemoryInstanceStore();
    private final InstanceRegistry registry = new InstanceRegistry();
    private final SecretCipher cipher = new SecretCipher(new byte[32]);
    private final InstanceService service = service(store, registry);

    @Test
    void createsAnInstanceWhoseTokenWorksAndReplacesItsChainKeepingTheToken() throws Exception {
        InstanceService.PutResult created = service.put("a", chain("x.example"), Precondition.NONE);
        String token = created.token().orElseThrow();

        InstanceService.PutResult replaced = service.put("a", chain("y.example"), Precondition.NONE);

        assertThat(created.created()).isTrue();
        assertThat(replaced.created()).isFalse();
        assertThat(replaced.token()).isEmpty();
        assertThat(replaced.instance().version()).isGreaterThan(created.instance().version());
        Instance instance = registry.authenticate("a", token).orElseThrow();
        assertThat(instance.version()).isEqualTo(replaced.instance().version());
        assertThat(((AllowHostsFilterFactory.AllowHosts) instance.chain().filters().get(0)).config().hosts())
                .containsExactly("y.example");
    }

    @Test
    void closesAReplacedChainOnlyAfterTheRequestsStillUsingItEnd() throws Exception {
        service.put("a", chain("x.example"), Precondition.NONE);
        CompiledChain old = registry.get("a").orElseThrow().chain();
        assertThat(old.acquire()).isTrue();
        AllowHostsFilterFactory.AllowHosts oldFilter = (AllowHostsFilterFactory.AllowHosts) old.filters().get(0);

        service.put("a", chain("y.example"), Precondition.NONE);

        assertThat(oldFilter.closed()).isFalse();
        old.release();
        assertThat(oldFilter.closed()).isTrue();
    }

    @Test
    void leavesEverythingAsItWasWhenTheStoreFails() throws Exception {
        service.put("a", chain("x.example"), Precondition.NONE);
        Instance before = registry.get("a").orElseThrow();
        store.failWrites(true);

        assertThatThrownBy(() -> service.put("a", chain("y.example"), Precondition.NONE))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> service.rotateToken("a")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> service.delete("a", Precondition.NONE)).isInstanceOf(StoreException.class);

        assertThat(registry.get("a").orElseThrow()).isSameAs(before);
        assertThat(service.get("a").orElseThrow().version()).isEqualTo(before.version());
    }

    @Test
    void refusesAnInvalidChainWithoutChangingAnything() throws Exception {
        service.put("a", chain("x.example"), Precondition.NONE);
        long version = service.get("a").orElseThrow().version();

        assertThatThrownBy(() -> service.put("a", List.of(entry("{\"hosts\":[]}")), Precondition.NONE))
                .isInstanceOfSatisfying(ChainValidationException.class, e -> {
                    assertThat(e.index()).isZero();
                    assertThat(e.field()).isEqualTo("hosts");
                });
        assertThat(service.get("a").orElseThrow().version()).isEqualTo(version);
    }

    @Test
    void keepsAStoredInstanceWhoseChainNoLongerCompilesButDeniesItsTraffic() throws Exception {
        service.put("a", chain("x.example"), Precondition.NONE);
        InstanceRegistry restarted = new InstanceRegistry();
        InstanceService withoutPlugins = new InstanceService(store,
                new ChainCompiler(new PluginRegistry(List.of()), name -> Map.of(), Clock.systemUTC()), restarted,
                cipher, Clock.systemUTC());

        assertThat(withoutPlugins.start()).isEqualTo(1);

        assertThat(restarted.get("a").orElseThrow().chain().filters()).isEmpty();
        InstanceView view = withoutPlugins.get("a").orElseThrow();
        assertThat(view.chainProblem()).hasValueSatisfying(problem -> assertThat(problem)
                .contains("no plugin named 'allow-hosts'"));
        assertThat(view.chain()).isEqualTo(chain("x.example"));
        assertThat(store.load("a").orElseThrow().chain()).isEqualTo(chain("x.example"));
    }

    @Test
    void refusesLineBreaksInSecretsThatTheChainPutsInHeaders() throws Exception {
        service.put("a", List.of(entry("{\"hosts\":[\"x\"],\"headerSecret\":\"api\"}")), Precondition.NONE);

        assertThatThrownBy(() -> service.putSecret("a", "api", "v\r\nX: y"))
                .isInstanceOfSatisfying(UnsafeSecretException.class, e -> assertThat(e.entry()).isZero());
        assertThatThrownBy(() -> service.putSecret("a", "api", "v\0")).isInstanceOf(UnsafeSecretException.class);
        service.putSecret("a", "other", "multi\nline");
        assertThatThrownBy(() -> service.put("a", List.of(entry("{\"hosts\":[\"x\"],\"headerSecret\":\"other\"}")),
                Precondition.NONE)).isInstanceOf(UnsafeSecretException.class);
        assertThat(registry.get("a").orElseThrow().secrets().get("api")).isEmpty();
    }

    @Test
    void makesSecretChangesVisibleToTheNextLookup() throws Exception {
        service.put("a", chain("x.example"), Precondition.NONE);

        assertThat(service.putSecret("a", "k", "one").created()).isTrue();
        assertThat(registry.get("a").orElseThrow().secrets().get("k")).contains("one");
        assertThat(service.putSecret("a", "k", "two").created()).isFalse();
        assertThat(registry.get("a").orElseThrow().secrets().get("k")).contains("two");
        service.deleteSecret("a", "k");
        assertThat(registry.get("a").orElseThrow().secrets().get("k")).isEmpty();
        assertThatThrownBy(() -> service.deleteSecret("a", "k")).isInstanceOf(InstanceNotFoundException.class);
    }

    @Test
    void followsChangesThatTheStoreReports() throws Exception {
        service.start();
        String token = service.put("a", chain("x.example"), Precondition.NONE).token().orElseThrow();
        InstanceRecord stored = store.load("a").orElseThrow();

        store.changeElsewhere(stored.withChain(chain("z.example"), stored.version() + 1, Instant.now()));

        Instance reloaded = registry.authenticate("a", token).orElseThrow();
        assertThat(((AllowHostsFilterFactory.AllowHosts) reloaded.chain().filters().get(0)).config().hosts())
                .containsExactly("z.example");
        store.deleteElsewhere("a");
        assertThat(registry.get("a")).isEmpty();
        assertThat(service.get("a")).isEmpty();
    }

    @Test
    void checksPreconditionsAgainstTheCurrentVersion() throws Exception {
        long version = service.put("a", chain("x"), Precondition.ABSENT).instance().version();

        assertThatThrownBy(() -> service.put("a", chain("y"), Precondition.ABSENT))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> service.put("a", chain("y"), Precondition.version(version - 1)))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(service.put("a", chain("y"), Precondition.version(version)).created()).isFalse();
        assertThatThrownBy(() -> service.put("b", chain("y"), Precondition.EXISTS))
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void listsInstancesInPagesOrderedById() throws Exception {
        for (String id : List.of("c", "a", "b")) {
            service.put(id, chain("x"), Precondition.NONE);
        }

        InstanceService.Page first = service.list(null, 2);
        InstanceService.Page second = service.list(first.next().orElseThrow(), 2);

        assertThat(first.instances()).extracting(InstanceView::id).containsExactly("a", "b");
        assertThat(second.instances()).extracting(InstanceView::id).containsExactly("c");
        assertThat(second.next()).isEmpty();
    }

    private InstanceService service(MemoryInstanceStore memory, InstanceRegistry instances) {
        PluginRegistry plugins = new PluginRegistry(List.of(new LoadedPlugin(new AllowHostsFilterFactory(), "test")));
        return new InstanceService(memory, new ChainCompiler(plugins, name -> Map.of(), Clock.systemUTC()), instances,
                cipher, Clock.systemUTC());
    }

    private static List<ChainEntry> chain(String host) {
        return List.of(entry("{\"hosts\":[\"" + host + "\"]}"));
    }

    private static ChainEntry entry(String config) {
        try {
            return new ChainEntry("allow-hosts", new ObjectMapper().readTree(config));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
