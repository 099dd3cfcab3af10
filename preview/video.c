/* video.c - a still from about one second into an MP4/MOV clip, with
 * FFmpeg 5.1's libavformat, libavcodec and libswscale (preview.h). */
#include <math.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libswscale/swscale.h>

#include "preview.h"
#include "image-priv.h"
#include "video-priv.h"

#define VIDEO_IO_BUF 65536
/* Frames decoded at most while looking for the one at the target
 * time: a clip whose key frames are further apart shows an earlier
 * frame rather than costing more time. */
#define VIDEO_MAX_FRAMES 300

/* The clip in memory, read and seeked by libavformat. */
typedef struct {
	const guint8 *buf;
	gsize len;
	gsize pos;
} video_mem;

typedef struct {
	video_mem mem;
	AVIOContext *io;
	AVFormatContext *fmt;
	AVCodecContext *dec;
	AVPacket *pkt;
	AVFrame *frame;
	AVFrame *best;		/* the frame shown */
	int stream;
} video_ctx;

static int mem_read(void *opaque, uint8_t *dst, int n)
{
	video_mem *m = opaque;
	gsize left = m->len - m->pos;

	if (left == 0)
		return AVERROR_EOF;
	if ((gsize)n > left)
		n = (int)left;
	memcpy(dst, m->buf + m->pos, (size_t)n);
	m->pos += (gsize)n;
	return n;
}

static int64_t mem_seek(void *opaque, int64_t off, int whence)
{
	video_mem *m = opaque;
	int64_t base;

	if (whence & AVSEEK_SIZE)
		return (int64_t)m->len;
	switch (whence & ~AVSEEK_FORCE) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)m->pos; break;
	case SEEK_END: base = (int64_t)m->len; break;
	default: return AVERROR(EINVAL);
	}
	if (off > (int64_t)m->len - base || base + off < 0)
		return AVERROR(EINVAL);
	m->pos = (gsize)(base + off);
	return (int64_t)m->pos;
}

static int codec_allowed(enum AVCodecID id)
{
	return id == AV_CODEC_ID_H264 || id == AV_CODEC_ID_HEVC ||
	       id == AV_CODEC_ID_MPEG4 || id == AV_CODEC_ID_VP9 ||
	       id == AV_CODEC_ID_AV1;
}

static char *av_reason(const char *what, int err)
{
	char buf[AV_ERROR_MAX_STRING_SIZE] = "";

	av_strerror(err, buf, sizeof buf);
	return g_strdup_printf("%s: %s", what, buf);
}

/* Open the container (the "mov" demuxer only) and the decoder of its
 * best video stream. */
static int video_open(video_ctx *v, const preview_limits *lim,
		      char **reason)
{
	const AVCodec *codec = NULL;
	AVCodecParameters *par;
	guint8 *iobuf = av_malloc(VIDEO_IO_BUF);
	int err;

	if (iobuf == NULL)
		goto nomem;
	v->io = avio_alloc_context(iobuf, VIDEO_IO_BUF, 0, &v->mem,
				   mem_read, NULL, mem_seek);
	v->fmt = avformat_alloc_context();
	if (v->io == NULL || v->fmt == NULL) {
		if (v->io == NULL)
			av_free(iobuf);
		goto nomem;
	}
	v->fmt->pb = v->io;
	v->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
	err = avformat_open_input(&v->fmt, NULL, av_find_input_format("mov"),
				  NULL);
	if (err < 0) {
		*reason = av_reason("not an MP4 or MOV clip", err);
		return -1;
	}
	v->stream = av_find_best_stream(v->fmt, AVMEDIA_TYPE_VIDEO, -1, -1,
					&codec, 0);
	if (v->stream < 0 || codec == NULL) {
		*reason = g_strdup("no video stream this worker decodes");
		return -1;
	}
	par = v->fmt->streams[v->stream]->codecpar;
	if (!codec_allowed(par->codec_id)) {
		*reason = g_strdup_printf("%s video is not previewed",
					  avcodec_get_name(par->codec_id));
		return -1;
	}
	if (par->width <= 0 || par->height <= 0 ||
	    (guint64)par->width * (guint64)par->height > lim->max_pixels) {
		*reason = g_strdup_printf("%dx%d pixels is over the limit "
			"of %llu", par->width, par->height,
			(unsigned long long)lim->max_pixels);
		return -1;
	}
	v->dec = avcodec_alloc_context3(codec);
	if (v->dec == NULL)
		goto nomem;
	if ((err = avcodec_parameters_to_context(v->dec, par)) < 0) {
		*reason = av_reason("decoder parameters", err);
		return -1;
	}
	v->dec->thread_count = 1;
	if ((err = avcodec_open2(v->dec, codec, NULL)) < 0) {
		*reason = av_reason("cannot open the decoder", err);
		return -1;
	}
	v->pkt = av_packet_alloc();
	v->frame = av_frame_alloc();
	v->best = av_frame_alloc();
	if (v->pkt == NULL || v->frame == NULL || v->best == NULL)
		goto nomem;
	return 0;
nomem:
	*reason = g_strdup("out of memory");
	return -1;
}

/* The target time in the stream's time base: one second in, or the
 * middle of a clip shorter than two seconds. */
static int64_t video_target(const AVStream *st)
{
	int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time
							 : 0;
	int64_t one = av_rescale_q(AV_TIME_BASE, AV_TIME_BASE_Q,
				   st->time_base);

	if (st->duration != AV_NOPTS_VALUE && st->duration > 0 &&
	    st->duration < 2 * one)
		return start + st->duration / 2;
	return start + one;
}

/* Take the frames the decoder has; 1 once one at or past TARGET. */
static int frames_take(video_ctx *v, int64_t target, int *count)
{
	while (avcodec_receive_frame(v->dec, v->frame) == 0) {
		int64_t t = v->frame->best_effort_timestamp;

		av_frame_unref(v->best);
		av_frame_move_ref(v->best, v->frame);
		if (++*count >= VIDEO_MAX_FRAMES ||
		    (t != AV_NOPTS_VALUE && t >= target))
			return 1;
	}
	return 0;
}

/* Decode up to the target frame; the last frame decoded when the clip
 * ends first. */
static int video_decode(video_ctx *v, char **reason)
{
	AVStream *st = v->fmt->streams[v->stream];
	int64_t target = video_target(st);
	int count = 0, err = 0;

	if (av_seek_frame(v->fmt, v->stream, target,
			  AVSEEK_FLAG_BACKWARD) < 0)
		av_seek_frame(v->fmt, v->stream, 0, AVSEEK_FLAG_BACKWARD);
	while ((err = av_read_frame(v->fmt, v->pkt)) >= 0) {
		int done = 0;

		if (v->pkt->stream_index == v->stream &&
		    avcodec_send_packet(v->dec, v->pkt) >= 0)
			done = frames_take(v, target, &count);
		av_packet_unref(v->pkt);
		if (done)
			return 0;
	}
	avcodec_send_packet(v->dec, NULL);
	frames_take(v, target, &count);
	if (count > 0)
		return 0;
	*reason = av_reason("no frame could be decoded", err);
	return -1;
}

/* The clockwise rotation the display matrix asks for, in steps of 90
 * degrees (as the ffmpeg command line's autorotate). */
static VipsAngle video_angle(const AVStream *st)
{
	const uint8_t *m = av_stream_get_side_data(st,
					AV_PKT_DATA_DISPLAYMATRIX, NULL);
	double theta;
	long q;

	if (m == NULL)
		return VIPS_ANGLE_D0;
	theta = -av_display_rotation_get((const int32_t *)m);
	if (isnan(theta))
		return VIPS_ANGLE_D0;
	q = lround(theta / 90.0) % 4;
	if (q < 0)
		q += 4;
	return q == 1 ? VIPS_ANGLE_D90 : q == 2 ? VIPS_ANGLE_D180 :
	       q == 3 ? VIPS_ANGLE_D270 : VIPS_ANGLE_D0;
}

/* The size of the still before rotation: the frame's display aspect
 * (sample aspect ratio applied) fitted in SIZE x SIZE, never larger. */
static void still_size(const AVFrame *f, unsigned size, int *w, int *h)
{
	double dw = f->width, dh = f->height, s;

	if (f->sample_aspect_ratio.num > 0 && f->sample_aspect_ratio.den > 0)
		dw = dw * f->sample_aspect_ratio.num /
		     f->sample_aspect_ratio.den;
	s = fmin(1.0, fmin(size / dw, size / dh));
	*w = (int)fmax(1.0, lround(dw * s));
	*h = (int)fmax(1.0, lround(dh * s));
}

static int video_still(video_ctx *v, const preview_limits *lim,
		       GBytes **out, char **reason)
{
	const AVFrame *f = v->best;
	struct SwsContext *sws = NULL;
	VipsImage *img = NULL;
	guint8 *rgb = NULL;
	int w, h, stride, rc = -1;

	still_size(f, lim->size, &w, &h);
	stride = w * 3;
	sws = sws_getContext(f->width, f->height, f->format, w, h,
			     AV_PIX_FMT_RGB24, SWS_AREA, NULL, NULL, NULL);
	if (sws == NULL) {
		*reason = g_strdup("cannot convert the frame's pixels");
		goto out;
	}
	rgb = g_malloc((gsize)stride * (gsize)h);
	sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0,
		  f->height, &rgb, &stride);
	img = vips_image_new_from_memory(rgb, (size_t)stride * (size_t)h,
					 w, h, 3, VIPS_FORMAT_UCHAR);
	if (img == NULL) {
		*reason = preview_vips_error();
		goto out;
	}
	rc = preview_jpeg_encode(img, video_angle(v->fmt->streams[v->stream]),
				 out, reason);
out:
	if (img != NULL)
		g_object_unref(img);
	g_free(rgb);
	sws_freeContext(sws);
	return rc;
}

int preview_video_make(const guint8 *buf, gsize len,
		       const preview_limits *lim, GBytes **out,
		       char **reason)
{
	video_ctx v;
	int rc = -1;

	memset(&v, 0, sizeof v);
	v.mem.buf = buf;
	v.mem.len = len;
	av_log_set_level(AV_LOG_QUIET);
	if (video_open(&v, lim, reason) == 0 &&
	    video_decode(&v, reason) == 0)
		rc = video_still(&v, lim, out, reason);
	av_frame_free(&v.best);
	av_frame_free(&v.frame);
	av_packet_free(&v.pkt);
	avcodec_free_context(&v.dec);
	avformat_close_input(&v.fmt);
	if (v.io != NULL) {
		av_freep(&v.io->buffer);
		avio_context_free(&v.io);
	}
	return rc;
}
