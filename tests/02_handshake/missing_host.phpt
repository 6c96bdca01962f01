--TEST--
Handshake: a request without Host gets 400 and is closed
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function ($c) { echo "server: open (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
$r = http_raw($port, ws_request($port, '/', ['Host' => null]));
echo $r['status'], ' ', $r['closed'] ? 'closed' : 'still open', "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
400 closed
