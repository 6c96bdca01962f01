--TEST--
Salon\Server::on(): an unknown event throws ValueError; a known one returns the server
--EXTENSIONS--
salon
--FILE--
<?php
$server = new Salon\Server('127.0.0.1', 0);
try {
    $server->on('x', function () {});
} catch (ValueError $e) {
    echo $e::class, ': ', $e->getMessage(), "\n";
}
try {
    $server->on('Open', function () {});
} catch (ValueError $e) {
    echo $e::class, ': ', $e->getMessage(), "\n";
}
var_dump($server->on('open', function () {}) === $server);
?>
--EXPECT--
ValueError: Unknown event "x"; expected one of open, message, close, error, drain, handshake, start
ValueError: Unknown event "Open"; expected one of open, message, close, error, drain, handshake, start
bool(true)
