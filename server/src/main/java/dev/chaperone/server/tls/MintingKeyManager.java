package dev.chaperone.server.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.server.audit.ProxyListener;
import dev.chaperone.spi.HostNames;

/**
 * Presents, in each intercepted handshake, a leaf certificate for the tunnel's host, minting it when needed.
 *
 * <p>The engine of a tunnel is created with the CONNECT host as its peer host. The key manager only answers
 * when the client's SNI names exactly that host, or when the client sent no SNI and the host is an IP
 * literal (clients do not send SNI for addresses). Otherwise it offers no certificate and the handshake
 * fails, so a client cannot have a certificate minted for a host other than the one its tunnel was
 * admitted for.
 */
public final class MintingKeyManager extends X509ExtendedKeyManager {

    private static final Logger LOG = LoggerFactory.getLogger(MintingKeyManager.class);

    private final LeafCertificates leaves;
    private final List<ProxyListener> listeners;

    public MintingKeyManager(LeafCertificates leaves, List<ProxyListener> listeners) {
        this.leaves = Objects.requireNonNull(leaves, "leaves");
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        if (keyType == null || !keyType.startsWith("EC") || engine == null) {
            return null;
        }
        String tunnelHost = engine.getPeerHost();
        if (tunnelHost == null) {
            return null;
        }
        Optional<String> sni = requestedServerName(engine.getHandshakeSession());
        if (sni.isEmpty() && !HostNames.isIpLiteral(tunnelHost)) {
            LOG.debug("refusing a handshake without SNI for tunnel to {}", tunnelHost);
            return null;
        }
        if (sni.isPresent() && !sni.get().equals(tunnelHost)) {
            LOG.debug("refusing a handshake whose SNI does not name the tunnel host {}", tunnelHost);
            return null;
        }
        LeafCertificates.Lookup lookup = leaves.lookup(tunnelHost);
        for (ProxyListener listener : listeners) {
            listener.onLeafCertificate(lookup.cacheHit());
        }
        return tunnelHost;
    }

    /**
     * The host name the client asked for in its ClientHello, in canonical form; empty when it sent none.
     * A name that is not a valid host never matches a tunnel host, so it is returned as it was sent (or
     * empty when it cannot even be decoded).
     */
    public static Optional<String> requestedServerName(SSLSession session) {
        if (!(session instanceof ExtendedSSLSession extended)) {
            return Optional.empty();
        }
        for (SNIServerName name : extended.getRequestedServerNames()) {
            if (name.getType() != StandardConstants.SNI_HOST_NAME) {
                continue;
            }
            String ascii;
            try {
                ascii = (name instanceof SNIHostName host ? host : new SNIHostName(name.getEncoded())).getAsciiName();
            } catch (IllegalArgumentException e) {
                return Optional.of("");
            }
            try {
                return Optional.of(HostNames.normalize(ascii));
            } catch (IllegalArgumentException e) {
                return Optional.of(ascii);
            }
        }
        return Optional.empty();
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return alias == null ? null : leaves.lookup(alias).chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return alias == null ? null : leaves.privateKey();
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        // Tunnels are always served through engines; a socket handshake has no tunnel host to check.
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
