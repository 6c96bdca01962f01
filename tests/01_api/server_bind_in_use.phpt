--TEST--
Salon\Server::__construct(): a port in use throws Salon\Exception with the OS reason
--EXTENSIONS--
salon
--FILE--
<?php
$first = new Salon\Server('127.0.0.1', 0);
$port = $first->port();
var_dump($port > 0);
try {
    new Salon\Server('127.0.0.1', $port);
} catch (Salon\Exception $e) {
    echo $e::class, ': ', str_replace((string)$port, 'PORT', $e->getMessage()), "\n";
}
var_dump($first->port() === $port, count($first));
?>
--EXPECT--
bool(true)
Salon\Exception: bind(127.0.0.1:PORT): Address already in use
bool(true)
int(0)
