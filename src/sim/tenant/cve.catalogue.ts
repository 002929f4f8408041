/**
 * Real CVEs with paraphrased descriptions, approximate CVSS v3 scores, the package they live in and a
 * vulnerable/fixed version pair. Enough variety for filters on severity, exploit, CISA KEV and fix.
 */
import type { Severity } from "./types.js";

/** os: distro package; kernel: the kernel package (VMs only); the rest are language libraries. */
export type CveEcosystem = "os" | "kernel" | "npm" | "pypi" | "maven" | "go";

export interface CveEntry {
  id: string;
  packageName: string;
  ecosystem: CveEcosystem;
  version: string;
  fixedVersion: string | null;
  score: number;
  exploitabilityScore: number;
  impactScore: number;
  severity: Severity;
  hasExploit: boolean;
  hasCisaKevExploit: boolean;
  epssProbability: number;
  description: string;
}

type Row = [id: string, pkg: string, eco: CveEcosystem, version: string, fixed: string | null, score: number, exploit: 0 | 1, kev: 0 | 1, epss: number, description: string];

const ROWS: readonly Row[] = [
  ["CVE-2024-3094", "xz-utils", "os", "5.6.0-0.2", "5.6.1+really5.4.5-1", 10.0, 1, 0, 0.86, "Malicious code in the upstream xz tarballs modifies liblzma so that it can intercept and alter sshd authentication."],
  ["CVE-2024-6387", "openssh-server", "os", "1:8.9p1-3ubuntu0.6", "1:8.9p1-3ubuntu0.10", 8.1, 1, 0, 0.45, "A signal handler race condition in the OpenSSH server allows unauthenticated remote code execution as root on glibc-based systems (regreSSHion)."],
  ["CVE-2023-4911", "glibc", "os", "2.35-0ubuntu3.3", "2.35-0ubuntu3.4", 7.8, 1, 1, 0.62, "A buffer overflow in the GNU C Library dynamic loader while processing GLIBC_TUNABLES allows local privilege escalation (Looney Tunables)."],
  ["CVE-2024-2961", "glibc", "os", "2.35-0ubuntu3.6", "2.35-0ubuntu3.7", 7.3, 1, 0, 0.21, "iconv() in the GNU C Library may overflow its output buffer when converting to the ISO-2022-CN-EXT character set."],
  ["CVE-2023-6246", "glibc", "os", "2.36-9+deb12u3", "2.36-9+deb12u4", 7.8, 1, 0, 0.08, "A heap-based buffer overflow in the GNU C Library's __vsyslog_internal function can be used for local privilege escalation."],
  ["CVE-2023-38545", "curl", "os", "7.81.0-1ubuntu1.13", "7.81.0-1ubuntu1.14", 9.8, 1, 0, 0.3, "A heap buffer overflow in curl's SOCKS5 proxy handshake is reachable when the host name is longer than 255 bytes."],
  ["CVE-2023-46218", "curl", "os", "7.88.1-10+deb12u4", "7.88.1-10+deb12u5", 6.5, 0, 0, 0.01, "A mixed-case flaw in curl's cookie domain check lets a server set super cookies for a public suffix."],
  ["CVE-2022-0847", "linux-image-generic", "kernel", "5.15.0.25.27", "5.15.0.27.30", 7.8, 1, 1, 0.15, "Uninitialised pipe buffer flags in the Linux kernel let an unprivileged local user overwrite read-only files (Dirty Pipe)."],
  ["CVE-2024-1086", "linux-image-generic", "kernel", "6.1.0-13", "6.1.0-18", 7.8, 1, 1, 0.05, "A use-after-free in the Linux kernel netfilter nf_tables component can be exploited for local privilege escalation."],
  ["CVE-2023-0386", "linux-image-generic", "kernel", "5.15.0-60", "5.15.0-67", 7.8, 1, 1, 0.07, "Improper ownership handling in the OverlayFS subsystem lets a local user escalate privileges by copying a capable file from a nosuid mount."],
  ["CVE-2023-32233", "kernel", "kernel", "4.14.314-237.533", "4.14.314-238.539", 7.8, 1, 0, 0.02, "A use-after-free in nf_tables batch request processing allows local users to gain root privileges."],
  ["CVE-2021-4034", "policykit-1", "os", "0.105-26ubuntu1", "0.105-26ubuntu1.2", 7.8, 1, 1, 0.84, "pkexec does not validate its argument count, so a local user can run arbitrary code as root (PwnKit)."],
  ["CVE-2021-3156", "sudo", "os", "1.8.31-1ubuntu1", "1.8.31-1ubuntu1.2", 7.8, 1, 1, 0.9, "A heap-based buffer overflow in sudo's argument parsing lets any local user gain root privileges (Baron Samedit)."],
  ["CVE-2023-22809", "sudo", "os", "1.9.9-1ubuntu2", "1.9.9-1ubuntu2.2", 7.8, 1, 0, 0.3, "sudoedit mishandles extra arguments in editor environment variables, letting a local user edit arbitrary files."],
  ["CVE-2022-37434", "zlib", "os", "1:1.2.11.dfsg-2ubuntu9", "1:1.2.11.dfsg-2ubuntu9.1", 9.8, 0, 0, 0.04, "zlib's inflate has a heap-based buffer over-read or overflow through a large gzip header extra field."],
  ["CVE-2023-45853", "zlib", "os", "1:1.2.13.dfsg-1", null, 9.8, 0, 0, 0.01, "MiniZip in zlib has an integer overflow leading to a heap buffer overflow through a long file name, comment or extra field."],
  ["CVE-2023-0286", "openssl", "os", "3.0.2-0ubuntu1.7", "3.0.2-0ubuntu1.8", 7.4, 0, 0, 0.02, "A type confusion in X.400 address processing in X.509 GeneralName may let an attacker read memory or cause a denial of service."],
  ["CVE-2022-3602", "openssl", "os", "3.0.2-0ubuntu1.6", "3.0.2-0ubuntu1.7", 7.5, 1, 0, 0.1, "A buffer overrun in X.509 name constraint checking can be triggered by a crafted email address in a certificate."],
  ["CVE-2023-5363", "openssl", "os", "3.0.11-1~deb12u1", "3.0.11-1~deb12u2", 7.5, 0, 0, 0.01, "Incorrect processing of key and IV lengths during cipher setup can truncate or overrun buffers."],
  ["CVE-2024-5535", "openssl", "os", "3.0.13-0ubuntu3", "3.0.13-0ubuntu3.2", 9.1, 0, 0, 0.01, "SSL_select_next_proto with an empty client protocol list may read past the buffer and leak memory to the peer."],
  ["CVE-2023-2650", "openssl", "os", "1.1.1n-0+deb11u4", "1.1.1n-0+deb11u5", 6.5, 0, 0, 0.01, "Translating crafted ASN.1 object identifiers can be very slow, causing a denial of service."],
  ["CVE-2022-1304", "e2fsprogs", "os", "1.46.5-2ubuntu1", "1.46.5-2ubuntu1.1", 7.8, 0, 0, 0.01, "An out-of-bounds read/write in e2fsprogs can be triggered by a crafted file system."],
  ["CVE-2022-42898", "krb5-libs", "os", "1.18.2-22.el8", "1.18.2-22.el8_7", 8.8, 0, 0, 0.02, "Integer overflows in PAC parsing in MIT Kerberos may lead to remote code execution on 32-bit platforms."],
  ["CVE-2022-41409", "pcre2", "os", "10.40-2", "10.42-1", 7.5, 0, 0, 0.01, "An integer overflow in pcre2test lets a pattern with a negative repeat value cause an infinite loop."],
  ["CVE-2024-25062", "libxml2", "os", "2.9.14+dfsg-1.3", "2.9.14+dfsg-1.3+deb12u1", 7.5, 0, 0, 0.01, "A use-after-free in xmlValidatePopElement when the XML Reader interface is used with DTD validation and XInclude."],
  ["CVE-2022-40303", "libxml2", "os", "2.9.13+dfsg-1ubuntu0.1", "2.9.13+dfsg-1ubuntu0.2", 7.5, 0, 0, 0.01, "An integer overflow with XML_PARSE_HUGE can crash libxml2 or corrupt memory."],
  ["CVE-2024-0553", "gnutls28", "os", "3.7.3-4ubuntu1.3", "3.7.3-4ubuntu1.4", 7.5, 0, 0, 0.01, "A timing side channel in RSA-PSK ClientKeyExchange handling may reveal secret data."],
  ["CVE-2023-47038", "perl", "os", "5.36.0-7", "5.36.0-7+deb12u1", 7.8, 0, 0, 0.01, "A crafted regular expression with an illegal Unicode property name can overflow a heap buffer in Perl."],
  ["CVE-2023-24329", "python3.10", "os", "3.10.6-1~22.04", "3.10.12-1~22.04", 7.5, 0, 0, 0.02, "urllib.parse mishandles URLs that start with blank characters, allowing blocklist bypass."],
  ["CVE-2023-4641", "shadow", "os", "1:4.8.1-2ubuntu2", "1:4.8.1-2ubuntu2.2", 5.5, 0, 0, 0.01, "gpasswd may leave a password in memory after a failed password change."],
  ["CVE-2022-48174", "busybox", "os", "1.35.0-r17", "1.36.1-r1", 9.8, 0, 0, 0.02, "A stack overflow in BusyBox ash may lead to code execution while processing crafted input."],
  ["CVE-2023-52425", "expat", "os", "2.5.0-1", "2.5.0-1+deb12u1", 7.5, 0, 0, 0.01, "libexpat can be driven into excessive resource consumption because large tokens need many full reparsings."],
  ["CVE-2022-40674", "expat", "os", "2.4.7-1ubuntu0.1", "2.4.7-1ubuntu0.2", 8.1, 1, 0, 0.02, "libexpat has a use-after-free in doContent in xmlparse.c."],
  ["CVE-2023-7104", "sqlite3", "os", "3.37.2-2ubuntu0.1", "3.37.2-2ubuntu0.3", 7.3, 0, 0, 0.01, "A heap buffer overflow in the SQLite session extension's sessionReadRecord function."],
  ["CVE-2023-29491", "ncurses", "os", "6.3-2ubuntu0.1", "6.3-2ubuntu0.2", 7.8, 0, 0, 0.01, "Malformed terminfo data can corrupt memory in setuid applications that use ncurses."],
  ["CVE-2023-4039", "gcc-12", "os", "12.2.0-14", null, 4.8, 0, 0, 0.01, "GCC's -fstack-protector on AArch64 leaves dynamically sized local variables unprotected."],
  ["CVE-2022-4899", "libzstd", "os", "1.4.8+dfsg-3build1", "1.4.8+dfsg-3ubuntu0.1", 7.5, 0, 0, 0.01, "zstd crashes when an empty string is passed as --output-dir-mirror."],
  ["CVE-2023-39804", "tar", "os", "1.34+dfsg-1ubuntu0.1.22.04.1", "1.34+dfsg-1ubuntu0.1.22.04.2", 6.2, 0, 0, 0.01, "Incorrect handling of extended attributes in PAX archives can overflow the stack in GNU tar."],
  ["CVE-2014-6271", "bash", "os", "4.3-7ubuntu1", "4.3-7ubuntu1.1", 9.8, 1, 1, 0.97, "Bash processes trailing strings after function definitions in environment variables, allowing remote code execution (Shellshock)."],
  ["CVE-2024-21626", "runc", "os", "1.1.7-0ubuntu1", "1.1.12-0ubuntu1", 8.6, 1, 0, 0.05, "runc leaks an internal file descriptor that lets a container process reach the host file system (Leaky Vessels)."],
  ["CVE-2023-25173", "containerd", "os", "1.6.12-0ubuntu1", "1.6.18-0ubuntu1", 5.3, 0, 0, 0.01, "containerd does not set up supplementary groups correctly, which may bypass primary group restrictions."],
  ["CVE-2021-23337", "lodash", "npm", "4.17.20", "4.17.21", 7.2, 1, 0, 0.02, "lodash's template function is vulnerable to command injection."],
  ["CVE-2020-8203", "lodash", "npm", "4.17.15", "4.17.19", 7.4, 1, 0, 0.03, "Prototype pollution in lodash zipObjectDeep lets an attacker modify object prototypes."],
  ["CVE-2022-24999", "qs", "npm", "6.5.2", "6.5.3", 7.5, 0, 0, 0.01, "qs lets an attacker hang a Node process through __proto__ keys in query strings parsed by Express."],
  ["CVE-2022-25883", "semver", "npm", "7.5.1", "7.5.2", 7.5, 0, 0, 0.01, "semver's Range constructor is vulnerable to regular expression denial of service with untrusted input."],
  ["CVE-2023-26136", "tough-cookie", "npm", "4.1.2", "4.1.3", 6.5, 0, 0, 0.01, "Prototype pollution in tough-cookie's CookieJar when rejectPublicSuffixes is false."],
  ["CVE-2024-29041", "express", "npm", "4.18.2", "4.19.2", 6.1, 0, 0, 0.01, "Malformed URLs given to res.location and res.redirect can bypass allow lists (open redirect)."],
  ["CVE-2022-23529", "jsonwebtoken", "npm", "8.5.1", "9.0.0", 7.6, 0, 0, 0.01, "jsonwebtoken's verify function can be abused with a malicious secretOrPublicKey object."],
  ["CVE-2023-45857", "axios", "npm", "0.21.4", "1.6.0", 6.5, 0, 0, 0.01, "axios sends the XSRF-TOKEN cookie value in a header to any host a request goes to."],
  ["CVE-2021-3807", "ansi-regex", "npm", "5.0.0", "5.0.1", 7.5, 0, 0, 0.01, "ansi-regex is vulnerable to inefficient regular expression complexity (ReDoS)."],
  ["CVE-2022-3517", "minimatch", "npm", "3.0.4", "3.0.5", 7.5, 0, 0, 0.01, "minimatch's braceExpand is vulnerable to ReDoS with crafted patterns."],
  ["CVE-2021-44906", "minimist", "npm", "1.2.5", "1.2.6", 9.8, 1, 0, 0.02, "Prototype pollution in minimist through constructor and __proto__ payloads."],
  ["CVE-2022-46175", "json5", "npm", "2.2.1", "2.2.2", 8.8, 0, 0, 0.01, "JSON5.parse does not restrict keys named __proto__, allowing prototype pollution."],
  ["CVE-2024-4068", "braces", "npm", "3.0.2", "3.0.3", 7.5, 0, 0, 0.01, "braces does not limit the number of characters it handles, which can exhaust memory."],
  ["CVE-2024-37890", "ws", "npm", "8.11.0", "8.17.1", 7.5, 1, 0, 0.02, "A request with more headers than server.maxHeadersCount can crash a ws server."],
  ["CVE-2023-44270", "postcss", "npm", "8.4.23", "8.4.31", 5.3, 0, 0, 0.01, "PostCSS mishandles carriage returns in comments, so linters may parse external CSS differently."],
  ["CVE-2022-31129", "moment", "npm", "2.29.3", "2.29.4", 7.5, 0, 0, 0.01, "moment's RFC 2822 date parsing is quadratic on long inputs (ReDoS)."],
  ["CVE-2024-4067", "micromatch", "npm", "4.0.5", "4.0.8", 5.3, 0, 0, 0.01, "micromatch.braces() is vulnerable to ReDoS through greedy pattern matching."],
  ["CVE-2023-28155", "request", "npm", "2.88.2", null, 6.1, 0, 0, 0.01, "request allows a bypass of SSRF mitigations through a cross-protocol redirect; the package is deprecated."],
  ["CVE-2020-28469", "glob-parent", "npm", "5.1.1", "5.1.2", 7.5, 0, 0, 0.01, "glob-parent's enclosure regular expression is vulnerable to ReDoS."],
  ["CVE-2023-32681", "requests", "pypi", "2.28.1", "2.31.0", 6.1, 0, 0, 0.01, "Requests leaks Proxy-Authorization headers to destination servers when following HTTPS redirects."],
  ["CVE-2024-35195", "requests", "pypi", "2.31.0", "2.32.0", 5.6, 0, 0, 0.01, "A Session that first sends a request with verify=False keeps skipping certificate checks for that origin."],
  ["CVE-2023-43804", "urllib3", "pypi", "1.26.16", "1.26.17", 8.1, 0, 0, 0.01, "urllib3 does not strip the Cookie header on cross-origin redirects."],
  ["CVE-2023-37920", "certifi", "pypi", "2022.12.7", "2023.7.22", 7.5, 0, 0, 0.01, "certifi still trusts e-Tugra root certificates after security problems were found with them."],
  ["CVE-2022-40897", "setuptools", "pypi", "65.5.0", "65.5.1", 5.9, 0, 0, 0.01, "A ReDoS in setuptools package_index through crafted HTML on a package page."],
  ["CVE-2024-3651", "idna", "pypi", "3.6", "3.7", 6.2, 0, 0, 0.01, "idna.encode() takes quadratic time on crafted inputs."],
  ["CVE-2023-50782", "cryptography", "pypi", "41.0.7", "42.0.0", 7.5, 0, 0, 0.01, "A Bleichenbacher-style timing oracle in RSA PKCS#1 v1.5 decryption may expose captured TLS traffic."],
  ["CVE-2023-49083", "cryptography", "pypi", "41.0.5", "41.0.6", 7.5, 0, 0, 0.01, "Loading PKCS7 certificates can dereference a NULL pointer."],
  ["CVE-2023-30861", "flask", "pypi", "2.2.2", "2.2.5", 7.5, 0, 0, 0.01, "Flask may let a caching proxy store a response carrying one client's session cookie and serve it to others."],
  ["CVE-2024-34069", "werkzeug", "pypi", "2.2.3", "3.0.3", 7.5, 0, 0, 0.01, "The Werkzeug debugger can be made to run code on a developer machine through a crafted domain."],
  ["CVE-2022-29217", "pyjwt", "pypi", "2.3.0", "2.4.0", 7.5, 0, 0, 0.01, "PyJWT lets an attacker choose the signing algorithm when the accepted algorithms are not restricted."],
  ["CVE-2020-14343", "pyyaml", "pypi", "5.3.1", "5.4", 9.8, 1, 0, 0.05, "PyYAML full_load allows arbitrary code execution through python/object/new constructors."],
  ["CVE-2023-5752", "pip", "pypi", "23.2.1", "23.3", 3.3, 0, 0, 0.01, "pip may pass extra Mercurial configuration options when installing from an hg+ URL."],
  ["CVE-2024-1135", "gunicorn", "pypi", "21.2.0", "22.0.0", 8.2, 0, 0, 0.01, "Gunicorn does not validate Transfer-Encoding headers properly, enabling HTTP request smuggling."],
  ["CVE-2021-44228", "org.apache.logging.log4j:log4j-core", "maven", "2.14.1", "2.17.1", 10.0, 1, 1, 0.975, "Log4j2 JNDI lookups in logged messages reach attacker-controlled LDAP endpoints, allowing remote code execution (Log4Shell)."],
  ["CVE-2021-45046", "org.apache.logging.log4j:log4j-core", "maven", "2.15.0", "2.17.1", 9.0, 1, 1, 0.97, "The Log4j 2.15.0 fix for Log4Shell was incomplete in some non-default configurations, still allowing code execution."],
  ["CVE-2022-22965", "org.springframework:spring-beans", "maven", "5.3.17", "5.3.18", 9.8, 1, 1, 0.97, "Spring MVC or WebFlux applications on JDK 9+ can be exploited through data binding for remote code execution (Spring4Shell)."],
  ["CVE-2022-22963", "org.springframework.cloud:spring-cloud-function-context", "maven", "3.2.2", "3.2.3", 9.8, 1, 1, 0.97, "Spring Cloud Function routing evaluates a crafted SpEL expression, allowing remote code execution."],
  ["CVE-2022-42889", "org.apache.commons:commons-text", "maven", "1.9", "1.10.0", 9.8, 1, 0, 0.9, "Commons Text variable interpolation allows remote code execution through script, dns and url lookups (Text4Shell)."],
  ["CVE-2022-1471", "org.yaml:snakeyaml", "maven", "1.33", "2.0", 9.8, 1, 0, 0.4, "SnakeYAML's Constructor does not restrict types on deserialisation, allowing remote code execution."],
  ["CVE-2020-36518", "com.fasterxml.jackson.core:jackson-databind", "maven", "2.12.6", "2.12.6.1", 7.5, 0, 0, 0.01, "Deeply nested JSON makes jackson-databind overflow the Java stack (denial of service)."],
  ["CVE-2022-42003", "com.fasterxml.jackson.core:jackson-databind", "maven", "2.13.3", "2.13.4.2", 7.5, 0, 0, 0.01, "A missing check in jackson-databind's primitive value deserialisers allows resource exhaustion."],
  ["CVE-2023-2976", "com.google.guava:guava", "maven", "31.1-jre", "32.0.0-jre", 7.1, 0, 0, 0.01, "Guava's FileBackedOutputStream uses the shared temporary directory, exposing data to other local users."],
  ["CVE-2023-6378", "ch.qos.logback:logback-classic", "maven", "1.2.12", "1.2.13", 7.5, 0, 0, 0.01, "A serialisation flaw in the logback receiver component allows denial of service."],
  ["CVE-2023-34462", "io.netty:netty-handler", "maven", "4.1.92.Final", "4.1.94.Final", 6.5, 0, 0, 0.01, "Netty's SniHandler can allocate up to 16 MB of heap per channel, allowing denial of service."],
  ["CVE-2023-44487", "io.netty:netty-codec-http2", "maven", "4.1.97.Final", "4.1.100.Final", 7.5, 1, 1, 0.94, "HTTP/2 request cancellation can reset many streams quickly, exhausting server resources (Rapid Reset)."],
  ["CVE-2020-1938", "org.apache.tomcat.embed:tomcat-embed-core", "maven", "9.0.30", "9.0.31", 9.8, 1, 1, 0.97, "Tomcat's AJP connector trusts incoming connections, allowing file read and inclusion (Ghostcat)."],
  ["CVE-2023-46589", "org.apache.tomcat.embed:tomcat-embed-core", "maven", "9.0.82", "9.0.83", 7.5, 0, 0, 0.01, "Tomcat mis-parses HTTP trailer headers, enabling request smuggling behind a reverse proxy."],
  ["CVE-2024-22259", "org.springframework:spring-web", "maven", "6.1.4", "6.1.5", 8.1, 0, 0, 0.01, "UriComponentsBuilder host validation of externally provided URLs can be bypassed (open redirect, SSRF)."],
  ["CVE-2021-42392", "com.h2database:h2", "maven", "1.4.200", "2.0.206", 9.8, 1, 0, 0.2, "The H2 console can be made to load classes from a remote server through JNDI."],
  ["CVE-2023-39325", "golang.org/x/net", "go", "v0.15.0", "v0.17.0", 7.5, 1, 0, 0.1, "An HTTP/2 client that rapidly creates and resets requests can exhaust server resources."],
  ["CVE-2023-45288", "golang.org/x/net", "go", "v0.22.0", "v0.23.0", 7.5, 0, 0, 0.02, "Excessive HTTP/2 CONTINUATION frames make an endpoint read arbitrary amounts of header data."],
  ["CVE-2023-24538", "stdlib", "go", "1.20.2", "1.20.3", 9.8, 0, 0, 0.01, "html/template does not treat backticks as JavaScript string delimiters, enabling injection."],
  ["CVE-2024-24790", "stdlib", "go", "1.22.3", "1.22.4", 9.8, 0, 0, 0.01, "net/netip Is methods misbehave for IPv4-mapped IPv6 addresses."],
  ["CVE-2023-48795", "golang.org/x/crypto", "go", "v0.16.0", "v0.17.0", 5.9, 1, 0, 0.6, "A man in the middle can drop messages at the start of an SSH secure channel (Terrapin)."],
  ["CVE-2022-41723", "golang.org/x/net", "go", "v0.6.0", "v0.7.0", 7.5, 0, 0, 0.01, "A crafted HTTP/2 stream makes the HPACK decoder consume excessive CPU."],
  ["CVE-2024-45337", "golang.org/x/crypto", "go", "v0.30.0", "v0.31.0", 9.1, 0, 0, 0.02, "Misuse of ServerConfig.PublicKeyCallback in x/crypto/ssh may bypass authorisation."],
  ["CVE-2023-29401", "github.com/gin-gonic/gin", "go", "v1.9.0", "v1.9.1", 4.3, 0, 0, 0.01, "Gin does not sanitise the filename given to Context.FileAttachment, allowing header injection."],
];

export function severityOfScore(score: number): Severity {
  if (score >= 9) return "CRITICAL";
  if (score >= 7) return "HIGH";
  if (score >= 4) return "MEDIUM";
  if (score > 0) return "LOW";
  return "INFORMATIONAL";
}

// CVSS v3 base scores split into their usual exploitability/impact sub-scores.
function subScores(score: number): [number, number] {
  if (score >= 9.8) return [3.9, score >= 10 ? 6.0 : 5.9];
  if (score >= 9) return [3.9, 5.2];
  if (score >= 8.5) return [2.8, 5.9];
  if (score >= 8) return [2.2, 5.9];
  if (score >= 7.6) return [1.8, 5.9];
  if (score >= 7.4) return [3.9, 3.6];
  if (score >= 7) return [1.8, 5.2];
  if (score >= 6) return [2.8, 3.6];
  if (score >= 5) return [3.9, 1.4];
  return [1.8, 1.4];
}

export const CVE_CATALOGUE: readonly CveEntry[] = ROWS.map(([id, packageName, ecosystem, version, fixedVersion, score, exploit, kev, epss, description]) => {
  const [exploitabilityScore, impactScore] = subScores(score);
  return {
    id,
    packageName,
    ecosystem,
    version,
    fixedVersion,
    score,
    exploitabilityScore,
    impactScore,
    severity: severityOfScore(score),
    hasExploit: exploit === 1,
    hasCisaKevExploit: kev === 1,
    epssProbability: epss,
    description,
  };
});
