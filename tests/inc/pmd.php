<?php
/*
 * permessage-deflate (RFC 7692) for the raw PHPT client, on PHP's zlib
 * (compiled into the CLI, so it works under `php -n`). Client code loads it
 * with `require __DIR__ . '/pmd.php';` (eval'd code sees tests/inc as
 * __DIR__).
 *
 *   $c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate']);
 *   $z = WsDeflate::fromResponse($c);          // null when the server declined
 *   ws_send_compressed($c, $z, $data);         // RSV1, trailer removed
 *   [$op, $data, $rsv1, $wire, $raw] = ws_read_message_pmd($c, $z);
 */

final class WsDeflate
{
	public array $params;
	public bool $serverNct;
	public bool $clientNct;
	public int $serverBits;
	public int $clientBits;
	private $enc = null;
	private $dec = null;

	public function __construct(array $params)
	{
		$this->params = $params;
		$this->serverNct = array_key_exists('server_no_context_takeover', $params);
		$this->clientNct = array_key_exists('client_no_context_takeover', $params);
		$this->serverBits = (int) ($params['server_max_window_bits'] ?? 15);
		$this->clientBits = (int) ($params['client_max_window_bits'] ?? 15);
	}

	/** The agreed parameters from the 101 answer, or null when there is no extension. */
	public static function fromResponse(WsClient $c): ?self
	{
		$h = $c->response['headers']['sec-websocket-extensions'] ?? null;
		if ($h === null) {
			return null;
		}
		$parts = array_map('trim', explode(';', $h));
		if (array_shift($parts) !== 'permessage-deflate') {
			throw new RuntimeException("unexpected extension answer: $h");
		}
		$params = [];
		foreach ($parts as $p) {
			[$k, $v] = array_pad(explode('=', $p, 2), 2, null);
			$params[trim($k)] = $v === null ? null : trim($v, " \t\"");
		}
		return new self($params);
	}

	/** RFC 7692 §7.2.1: deflate with a sync flush, drop the final 00 00 ff ff. */
	public function compress(string $data): string
	{
		if ($this->enc === null || $this->clientNct) {
			// zlib cannot deflate raw with a 256-byte window; 9 is the least.
			$this->enc = deflate_init(ZLIB_ENCODING_RAW, ['level' => 6, 'window' => max(9, $this->clientBits)]);
		}
		$out = deflate_add($this->enc, $data, ZLIB_SYNC_FLUSH);
		if (str_ends_with($out, "\x00\x00\xff\xff")) {
			$out = substr($out, 0, -4);
		}
		return $out === '' ? "\x00" : $out;
	}

	/** RFC 7692 §7.2.2: append 00 00 ff ff and inflate; false when it is not valid DEFLATE. */
	public function inflate(string $payload): string|false
	{
		if ($this->dec === null || $this->serverNct) {
			$this->dec = inflate_init(ZLIB_ENCODING_RAW, ['window' => $this->serverBits]);
		}
		set_error_handler(fn () => true);
		try {
			return inflate_add($this->dec, $payload . "\x00\x00\xff\xff", ZLIB_SYNC_FLUSH);
		} finally {
			restore_error_handler();
		}
	}
}

/** Sends a compressed message, the compressed bytes cut into frames of $frag octets (RSV1 on the first only). */
function ws_send_compressed(WsClient $c, WsDeflate $z, string $data, bool $binary = false, ?int $frag = null): bool
{
	$payload = $z->compress($data);
	$op = $binary ? OP_BINARY : OP_TEXT;
	if ($frag === null || $frag >= strlen($payload)) {
		return $c->writeRaw(WsClient::frame($op, $payload, true, 4));
	}
	$frames = '';
	for ($i = 0; $i < strlen($payload); $i += $frag) {
		$frames .= WsClient::frame($i === 0 ? $op : OP_CONT, substr($payload, $i, $frag), $i + $frag >= strlen($payload), $i === 0 ? 4 : 0);
	}
	return $c->writeRaw($frames);
}

/**
 * Reads one data message: [opcode, data, compressed (RSV1 on its first
 * frame), payload bytes on the wire, the payload as it was on the wire],
 * or null at EOF. A control frame is returned as [opcode, payload, false,
 * length, payload]. RSV1 on a continuation or control frame, or other RSV
 * bits, throw.
 */
function ws_read_message_pmd(WsClient $c, ?WsDeflate $z, float $timeout = 5.0): ?array
{
	$op = null;
	$data = '';
	$rsv1 = false;
	while (true) {
		$f = $c->readFrame($timeout);
		if ($f === null) {
			return null;
		}
		[$o, $p, $fin] = $f;
		if ($c->lastRsv & 3 || ($c->lastRsv && ($o >= 8 || $o === OP_CONT))) {
			throw new RuntimeException(sprintf('server frame opcode %d with RSV bits %d', $o, $c->lastRsv));
		}
		if ($o >= 8) {
			return [$o, $p, false, strlen($p), $p];
		}
		if ($op === null) {
			$op = $o;
			$rsv1 = (bool) ($c->lastRsv & 4);
		}
		$data .= $p;
		if ($fin) {
			break;
		}
	}
	$raw = $data;
	$wire = strlen($data);
	if ($rsv1) {
		if ($z === null) {
			throw new RuntimeException('compressed message without permessage-deflate');
		}
		$data = $z->inflate($data);
		if ($data === false) {
			throw new RuntimeException('compressed message does not inflate');
		}
	}
	return [$op, $data, $rsv1, $wire, $raw];
}
