--TEST--
TLS: min_version "TLSv1.3" refuses a TLS 1.2 client (handshake failed) and serves a TLS 1.3 one
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . "/../inc/harness.inc"; require __DIR__ . "/../inc/tls.inc"; salon_skip_unless_python(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . "/../inc/harness.inc";
require __DIR__ . "/../inc/tls.inc";
$t = salon_tls_material();
$server = salon_tls_echo_server(['cert' => $t['a.pem'], 'key' => $t['a.key'], 'min_version' => 'TLSv1.3']);
$child = new SalonChild([SALON_PYTHON, '-c', <<<'PY'
import ssl, socket, sys
port = int(sys.argv[-1])
for name, v in (("1.2", ssl.TLSVersion.TLSv1_2), ("1.3", ssl.TLSVersion.TLSv1_3)):
    ctx = ssl.create_default_context(cafile=sys.argv[1])
    ctx.minimum_version = ctx.maximum_version = v
    try:
        s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname="localhost")
        print("TLS %s: connected with %s" % (name, s.version()))
        s.close()
    except ssl.SSLError as e:
        print("TLS %s: refused (%s)" % (name, e.reason))
PY, $t['ca.pem'], (string) $server->port()], null, 'python');
echo salon_run($server, $child, 30);
echo "handshakes_failed: ", $server->stats()['handshakes_failed'], "\n";
?>
--EXPECT--
TLS 1.2: refused (TLSV1_ALERT_PROTOCOL_VERSION)
TLS 1.3: connected with TLSv1.3
handshakes_failed: 1
