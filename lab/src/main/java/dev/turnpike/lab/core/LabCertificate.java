package dev.turnpike.lab.core;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.cert.CertificateException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The lab's self-issued TLS certificate. Chromium trusts it by the SPKI pin of its key
 * ({@code --ignore-certificate-errors-spki-list}), so the key pair is fixed for the lab's life (and, with a seed,
 * across runs) while the certificate itself is re-issued with the same key whenever a host is added to its SAN.
 */
public final class LabCertificate {

    public static final String KEY_ALIAS = "lab";
    public static final char[] KEY_PASSWORD = "lab".toCharArray();
    /** Names every lab certificate lists, besides the registered hosts. */
    public static final List<String> BASE_NAMES = List.of("challenges.cloudflare.com", "challenges.fed.cloudflare.com",
            "*.lab.test", "localhost");

    private final KeyPair keyPair;
    private final Clock clock;
    private final String spkiPin;
    private volatile X509Certificate certificate;
    private volatile Set<String> names;

    private LabCertificate(KeyPair keyPair, Clock clock, Collection<String> hosts) throws GeneralSecurityException {
        this.keyPair = keyPair;
        this.clock = clock;
        this.spkiPin = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(keyPair.getPublic().getEncoded()));
        reissue(hosts);
    }

    /** Makes a P-256 key (deterministic for a given seed) and a certificate for the base names and {@code hosts}. */
    public static LabCertificate create(long seed, Clock clock, Collection<String> hosts) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return new LabCertificate(generator.generateKeyPair(), clock, hosts);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the lab certificate", e);
        }
    }

    /** Base64 SHA-256 of the certificate's SubjectPublicKeyInfo, for {@code --ignore-certificate-errors-spki-list}. */
    public String spkiPin() {
        return spkiPin;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The DNS names the current certificate lists. */
    public Set<String> names() {
        return names;
    }

    /** Whether the current certificate covers {@code host}, directly or by a wildcard. */
    public boolean covers(String host) {
        for (String name : names) {
            if (name.equals(host) || (name.startsWith("*.") && host.endsWith(name.substring(1))
                    && host.indexOf('.') == host.length() - name.length() + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Issues a new certificate, same key, for the base names and {@code hosts}. */
    public synchronized void reissue(Collection<String> hosts) {
        Set<String> all = new LinkedHashSet<>(BASE_NAMES);
        all.addAll(hosts);
        try {
            Instant now = clock.instant();
            X500Name subject = new X500Name("CN=Turnpike lab");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(397))), subject, keyPair.getPublic());
            List<GeneralName> sans = new ArrayList<>();
            all.forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
            sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            this.certificate = cert;
            this.names = Set.copyOf(all);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot issue the lab certificate", e);
        }
    }

    /** A key store holding the key and the current certificate under {@link #KEY_ALIAS}. */
    public KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(KEY_ALIAS, keyPair.getPrivate(), KEY_PASSWORD, new X509Certificate[] {certificate});
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An SSL context that trusts this lab's key, whatever certificate it currently wears (for plain HTTP clients in
     * tests and tools). Host names are still checked against the certificate's names by the JDK.
     */
    public SSLContext clientSslContext() {
        X509TrustManager trustLabKey = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("the lab trusts no client certificates");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain == null || chain.length == 0 || !chain[0].getPublicKey().equals(keyPair.getPublic())) {
                    throw new CertificateException("not the lab's certificate");
                }
                chain[0].checkValidity();
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[] {certificate};
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustLabKey}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
