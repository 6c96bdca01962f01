--TEST--
Salon\Server::__construct(): an empty host throws ValueError instead of listening on every address
--EXTENSIONS--
salon
--FILE--
<?php
try {
    $s = new Salon\Server('', 0);
    echo "listening on ", $s->host(), ":", $s->port(), "\n";
} catch (ValueError $e) {
    echo $e::class, ': ', $e->getMessage(), "\n";
}
$s = new Salon\Server('127.0.0.1', 0);
echo "127.0.0.1 still fine: ", $s->host(), "\n";
?>
--EXPECT--
ValueError: Salon\Server::__construct(): Argument #1 ($host) must not be empty (use "0.0.0.0" or "::" to listen on every address)
127.0.0.1 still fine: 127.0.0.1
