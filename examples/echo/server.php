<?php
/*
 * Salon echo server: every text message goes back as text, every binary
 * message as binary. Conformance suites (tests/conformance/autobahn.py),
 * interop clients and benchmarks are pointed at it.
 *
 *   php -n -d extension=modules/salon.so examples/echo/server.php [PORT]
 *
 * PORT defaults to 9001 (0 picks a free one). Extra constructor options come
 * from the environment variable SALON_OPTIONS as a JSON object, e.g.
 *   SALON_OPTIONS='{"max_message_size": 16777216}'
 * It listens on 127.0.0.1 and prints "listening on ws://127.0.0.1:PORT" once
 * it accepts connections ("wss://" when SALON_OPTIONS has a "tls" entry:
 *   SALON_OPTIONS='{"tls": {"cert": "cert.pem", "key": "key.pem"}}').
 */

$port = 9001;
if (isset($argv[1])) {
	if (!preg_match('/^\d{1,5}$/', $argv[1]) || (int) $argv[1] > 65535) {
		fwrite(STDERR, "usage: php server.php [PORT]  (PORT: 0-65535, got '{$argv[1]}')\n");
		exit(1);
	}
	$port = (int) $argv[1];
}

$options = [];
$json = getenv('SALON_OPTIONS');
if ($json !== false && trim($json) !== '') {
	try {
		$options = json_decode($json, true, 16, JSON_THROW_ON_ERROR);
	} catch (JsonException $e) {
		fwrite(STDERR, "SALON_OPTIONS is not valid JSON: {$e->getMessage()}\n");
		exit(1);
	}
	if (!is_array($options) || ($options !== [] && array_is_list($options))) {
		fwrite(STDERR, "SALON_OPTIONS must be a JSON object, e.g. {\"max_message_size\": 16777216}\n");
		exit(1);
	}
}

try {
	$server = new Salon\Server('127.0.0.1', $port, $options);
} catch (Salon\Exception | ValueError | TypeError $e) {
	fwrite(STDERR, get_class($e) . ': ' . $e->getMessage() . "\n");
	exit(1);
}

$server->on('message', function (Salon\Connection $conn, string $data, bool $binary): void {
	$conn->send($data, $binary);
});

fwrite(STDOUT, 'listening on ' . (isset($options['tls']) ? 'wss' : 'ws') . '://127.0.0.1:' . $server->port() . "\n");
fflush(STDOUT);

$server->run();
