/* The server's figures in the OpenMetrics text format (OpenMetrics 1.0,
 * the format Prometheus scrapes), for the metrics_path endpoint. A pure
 * formatter: ws_server.c collects the figures and serves the text. */
#ifndef SALON_WS_METRICS_H
#define SALON_WS_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include "ws.h"
#include "ws_buf.h"

#define WS_METRICS_CONTENT_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

/* Appends the exposition of st and of the close codes seen (ncodes pairs,
 * ascending codes) to out, ending with "# EOF\n". Returns 0 or
 * WS_ERR_NOMEM (out may then hold part of it). */
int ws_metrics_render(ws_buf_t *out, const ws_stats_t *st, const uint16_t *codes, const uint64_t *counts,
		      size_t ncodes);

#endif
