--TEST--
TLS: bad certificate or key files, a key that does not match, a wrong passphrase throw Salon\Exception at construction with OpenSSL's reason; bad option values throw ValueError/TypeError
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . "/../inc/tls.inc"; salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . "/../inc/tls.inc";
$t = salon_tls_material();
$cases = [
	'missing cert' => ['cert' => $t['dir'] . '/nope.pem', 'key' => $t['a.key']],
	'missing key' => ['cert' => $t['a.pem'], 'key' => $t['dir'] . '/nope.key'],
	'garbage cert' => ['cert' => $t['garbage.pem'], 'key' => $t['a.key']],
	'certificate as key' => ['cert' => $t['a.pem'], 'key' => $t['a.pem']],
	'mismatched pair' => ['cert' => $t['a.pem'], 'key' => $t['b.key']],
	'another key type' => ['cert' => $t['a.pem'], 'key' => $t['ed.key']],
	'encrypted key, no passphrase' => ['cert' => $t['a.pem'], 'key' => $t['a-enc.key']],
	'encrypted key, wrong passphrase' => ['cert' => $t['a.pem'], 'key' => $t['a-enc.key'], 'passphrase' => 'wrong'],
	'encrypted key, right passphrase' => ['cert' => $t['a.pem'], 'key' => $t['a-enc.key'], 'passphrase' => 'secret'],
	'key in the cert file' => ['cert' => $t['dir'] . '/both.pem'],
	'missing ca' => ['cert' => $t['a.pem'], 'key' => $t['a.key'], 'ca' => $t['dir'] . '/nope-ca.pem'],
	'no cipher matches' => ['cert' => $t['a.pem'], 'key' => $t['a.key'], 'ciphers' => 'NOT-A-CIPHER'],
	'ciphers ok' => ['cert' => $t['a.pem'], 'key' => $t['a.key'], 'ciphers' => 'ECDHE-ECDSA-AES128-GCM-SHA256'],
	'min_version TLSv1.1' => ['cert' => $t['a.pem'], 'key' => $t['a.key'], 'min_version' => 'TLSv1.1'],
	'no cert' => ['key' => $t['a.key']],
	'unknown key' => ['cert' => $t['a.pem'], 'crt' => 'x'],
	'cert not a string' => ['cert' => 42],
	'tls not an array' => 'yes',
];
file_put_contents($t['dir'] . '/both.pem', file_get_contents($t['a.pem']) . file_get_contents($t['a.key']));
foreach ($cases as $name => $tls) {
	try {
		$s = new Salon\Server('127.0.0.1', 0, ['tls' => $tls]);
		echo "$name: ok\n";
		unset($s);
	} catch (Throwable $e) {
		echo "$name: ", get_class($e), ': ', str_replace($t['dir'], 'DIR', $e->getMessage()), "\n";
	}
}
$s = new Salon\Server('127.0.0.1', 0, ['tls' => null]);
echo "tls null: plain server\n";
?>
--EXPECT--
missing cert: Salon\Exception: TLS certificate DIR/nope.pem: No such file or directory
missing key: Salon\Exception: TLS private key DIR/nope.key: No such file or directory
garbage cert: Salon\Exception: TLS certificate DIR/garbage.pem: no start line
certificate as key: Salon\Exception: TLS private key DIR/a.pem: unsupported
mismatched pair: Salon\Exception: TLS private key DIR/b.key: key values mismatch
another key type: Salon\Exception: TLS private key DIR/ed.key: key type mismatch
encrypted key, no passphrase: Salon\Exception: TLS private key DIR/a-enc.key: bad decrypt
encrypted key, wrong passphrase: Salon\Exception: TLS private key DIR/a-enc.key: bad decrypt
encrypted key, right passphrase: ok
key in the cert file: ok
missing ca: Salon\Exception: TLS ca DIR/nope-ca.pem: No such file or directory
no cipher matches: Salon\Exception: TLS ciphers NOT-A-CIPHER: no cipher match
ciphers ok: ok
min_version TLSv1.1: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "tls" key "min_version" must be "TLSv1.2" or "TLSv1.3"
no cert: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "tls" must contain "cert" (a PEM certificate file)
unknown key: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "tls" contains unknown key "crt"
cert not a string: TypeError: Salon\Server::__construct(): Argument #3 ($options) option "tls" key "cert" must be of type ?string, int given
tls not an array: TypeError: Salon\Server::__construct(): Argument #3 ($options) option "tls" must be of type ?array, string given
tls null: plain server
