--TEST--
TLS + permessage-deflate: Python websockets over wss:// (trusting only the test CA; compression by default, and no context takeover with 10-bit windows), exchanges 0 B, 1 B, 100 KiB and 1 MiB of text, 1 MiB of random binary and a repeated chat line
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; require __DIR__ . '/../inc/tls.inc'; salon_skip_unless_python(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/tls.inc';
$t = salon_tls_material();
$server = salon_tls_echo_server(['cert' => $t['a.pem'], 'key' => $t['a.key']], ['compression' => true], true);
$child = salon_spawn($server, [SALON_PYTHON, __DIR__ . '/../interop/deflate_py.py', '--tls', $t['ca.pem']], 'python');
echo salon_run($server, $child, 60);
?>
--EXPECT--
server: close 1000
server: close 1000
default: tls TLSv1.3
default: permessage-deflate
  text 0: same, full size on the wire
  text 1: same, full size on the wire
  text 100 KiB: same, compressed on the wire
  text 1 MiB: same, compressed on the wire
  binary 1 MiB random: same, full size on the wire
  chat line x3: same, later ones far smaller on the wire
  closed 1000
no takeover, 10-bit windows: tls TLSv1.3
no takeover, 10-bit windows: permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=10
  text 0: same, full size on the wire
  text 1: same, full size on the wire
  text 100 KiB: same, compressed on the wire
  text 1 MiB: same, compressed on the wire
  binary 1 MiB random: same, full size on the wire
  chat line x3: same, the same size on the wire each time
  closed 1000
