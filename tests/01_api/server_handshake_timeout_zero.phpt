--TEST--
Salon\Server::__construct(): handshake_timeout 0 throws ValueError (it would turn the slowloris protection off); idle_timeout 0 still turns the heartbeat off
--EXTENSIONS--
salon
--FILE--
<?php
foreach ([0, 0.0, -1, 0.0001] as $v) {
    try {
        $s = new Salon\Server('127.0.0.1', 0, ['handshake_timeout' => $v]);
        echo var_export($v, true), ": accepted\n";
    } catch (ValueError $e) {
        echo var_export($v, true), ": ", $e::class, ': ', $e->getMessage(), "\n";
    }
}
$s = new Salon\Server('127.0.0.1', 0, ['idle_timeout' => 0]);
echo "idle_timeout 0: accepted\n";
?>
--EXPECT--
0: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "handshake_timeout" must be greater than 0 and at most 4294967 seconds (it bounds how long a client may take to complete its handshake; it cannot be turned off)
0.0: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "handshake_timeout" must be greater than 0 and at most 4294967 seconds (it bounds how long a client may take to complete its handshake; it cannot be turned off)
-1: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "handshake_timeout" must be greater than 0 and at most 4294967 seconds (it bounds how long a client may take to complete its handshake; it cannot be turned off)
0.0001: accepted
idle_timeout 0: accepted
