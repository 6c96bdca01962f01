--TEST--
Handshake: an upgrade request over HTTP/1.0 is rejected (4xx/5xx)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function ($c) { echo "server: open (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
$r = http_raw($port, ws_request($port, '/', [], 'GET', 'HTTP/1.0'));
echo $r['status'] >= 400 && $r['status'] < 600 ? 'rejected' : $r['status'], ' ', $r['closed'] ? 'closed' : 'still open', "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
rejected closed
