//! The C ABI: one generic set of `rm_*` functions for every node kind (see docs/ARCHITECTURE.md).
//! Every export catches panics, validates pointers and shapes, and reports failures as an
//! [`ErrorCode`] status plus a per-thread message read with `rm_last_error`.

use crate::audio::{AudioIn, AudioOut, AudioShape, RmAudio, SampleFormat, Samples};
use crate::error::{clear_last_error, set_last_error, with_last_error, ErrorCode, NodeError};
use crate::node::{NodeExecutor, RmEvent};
use crate::registry;
use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};

/// Status returned by every fallible export: 0 ok, negative an [`ErrorCode`].
pub type RmStatus = i32;

/// Bumped whenever an export's signature or meaning changes; the C# side refuses other versions.
pub const RM_ABI_VERSION: u32 = 1;

/// An opaque native node. Created by `rm_node_create`, released by `rm_node_destroy`.
pub struct RmNode {
    executor: Box<dyn NodeExecutor>,
}

static LIVE_NODES: AtomicU64 = AtomicU64::new(0);

fn guard(body: impl FnOnce() -> Result<(), NodeError>) -> RmStatus {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => {
            clear_last_error();
            ErrorCode::Ok.as_status()
        }
        Ok(Err(e)) => {
            set_last_error(&e.message);
            e.code.as_status()
        }
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            set_last_error(&format!("internal error (panic caught at the ABI boundary): {detail}"));
            ErrorCode::Internal.as_status()
        }
    }
}

fn null(what: &str) -> NodeError {
    NodeError::new(ErrorCode::NullArgument, format!("{what} must not be null"))
}

unsafe fn utf8_arg<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, NodeError> {
    if ptr.is_null() {
        return Err(null(what));
    }
    CStr::from_ptr(ptr).to_str().map_err(|_| NodeError::invalid_argument(format!("{what} is not valid UTF-8")))
}

unsafe fn node_arg<'a>(node: *mut RmNode) -> Result<&'a mut RmNode, NodeError> {
    node.as_mut().ok_or_else(|| null("node"))
}

fn format_arg(raw: u16, what: &str) -> Result<SampleFormat, NodeError> {
    SampleFormat::from_raw(raw)
        .ok_or_else(|| NodeError::invalid_argument(format!("{what}.format must be 0 (f32), 1 (s16) or 2 (s32), got {raw}")))
}

unsafe fn input_view<'a>(input: *const RmAudio) -> Result<AudioIn<'a>, NodeError> {
    let audio = input.as_ref().ok_or_else(|| null("input"))?;
    let format = format_arg(audio.format, "input")?;
    if audio.channels == 0 {
        return Err(NodeError::invalid_argument("input.channels must be at least 1"));
    }
    let len = audio.frames as usize * audio.channels as usize;
    if len > 0 && audio.data.is_null() {
        return Err(null("input.data"));
    }
    if len > 0 && (audio.data as usize) % format.bytes() != 0 {
        return Err(NodeError::invalid_argument("input.data is not aligned to its sample size"));
    }
    let data = if len == 0 { std::ptr::NonNull::<u8>::dangling().as_ptr() as *const u8 } else { audio.data as *const u8 };
    // SAFETY: the caller promises `data` holds frames * channels samples of `format`; alignment was checked.
    let samples = match format {
        SampleFormat::F32 => Samples::F32(std::slice::from_raw_parts(aligned(data, 4) as *const f32, len)),
        SampleFormat::S16 => Samples::S16(std::slice::from_raw_parts(aligned(data, 2) as *const i16, len)),
        SampleFormat::S32 => Samples::S32(std::slice::from_raw_parts(aligned(data, 4) as *const i32, len)),
    };
    Ok(AudioIn { samples, frames: audio.frames as usize, channels: audio.channels as usize, sample_rate: audio.sample_rate })
}

/// An empty slice still needs a pointer aligned for its element type.
fn aligned(ptr: *const u8, align: usize) -> *const u8 {
    if ptr as usize % align == 0 {
        ptr
    } else {
        align as *const u8
    }
}

unsafe fn with_output(output: *mut RmAudio, body: impl FnOnce(&mut AudioOut) -> Result<(), NodeError>) -> Result<(), NodeError> {
    let audio = output.as_mut().ok_or_else(|| null("output"))?;
    let format = format_arg(audio.format, "output")?;
    let capacity = audio.frames as usize * audio.channels as usize * format.bytes();
    if capacity > 0 && audio.data.is_null() {
        return Err(null("output.data"));
    }
    if capacity > 0 && (audio.data as usize) % 4 != 0 {
        return Err(NodeError::invalid_argument("output.data must be aligned to 4 bytes"));
    }
    let mut empty = [0u32; 0];
    // SAFETY: the caller promises `data` holds `capacity` writable bytes.
    let bytes: &mut [u8] = if capacity == 0 {
        std::slice::from_raw_parts_mut(empty.as_mut_ptr() as *mut u8, 0)
    } else {
        std::slice::from_raw_parts_mut(audio.data as *mut u8, capacity)
    };
    let mut out = AudioOut::new(bytes);
    let result = body(&mut out);
    if result.is_ok() {
        audio.frames = out.frames as u32;
        audio.channels = out.channels as u16;
        audio.format = out.format as u16;
        audio.sample_rate = out.sample_rate;
    }
    result
}

/// The ABI version this library implements.
#[no_mangle]
pub extern "C" fn rm_abi_version() -> u32 {
    RM_ABI_VERSION
}

/// Creates a node of `kind` (a registered public name) configured by the JSON object `config`
/// (UTF-8, NUL-terminated; NULL or "" means defaults). On success stores the node in `*out`.
///
/// # Safety
/// Every non-null pointer must be valid for the reads and writes described above, for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn rm_node_create(kind: *const c_char, config: *const c_char, out: *mut *mut RmNode) -> RmStatus {
    guard(|| {
        if out.is_null() {
            return Err(null("out"));
        }
        *out = std::ptr::null_mut();
        let kind = utf8_arg(kind, "kind")?;
        let config = if config.is_null() { "" } else { utf8_arg(config, "config")? };
        let executor = registry::create(kind, config)?;
        LIVE_NODES.fetch_add(1, Ordering::Relaxed);
        *out = Box::into_raw(Box::new(RmNode { executor }));
        Ok(())
    })
}

/// Processes one input block. `output.frames` is the capacity on entry and the frames written on return;
/// the node also sets the output's channels, format and sample rate.
///
/// # Safety
/// Every non-null pointer must be valid for the reads and writes described above, for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn rm_node_process(node: *mut RmNode, input: *const RmAudio, output: *mut RmAudio) -> RmStatus {
    guard(|| {
        let node = node_arg(node)?;
        let input = input_view(input)?;
        with_output(output, |out| node.executor.process(&input, out))
    })
}

/// Validates the shape of `input` (its `data` is ignored) and writes into `*shape` the output
/// channels, format and sample rate the node would produce, with `frames` the most frames that
/// processing that input, or a flush after it, can write. Use it to size output buffers.
///
/// # Safety
/// Every non-null pointer must be valid for the reads and writes described above, for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn rm_node_output_shape(node: *mut RmNode, input: *const RmAudio, shape: *mut RmAudio) -> RmStatus {
    guard(|| {
        let node = node_arg(node)?;
        let audio = input.as_ref().ok_or_else(|| null("input"))?;
        let shape_out = shape.as_mut().ok_or_else(|| null("shape"))?;
        let input = AudioShape {
            frames: audio.frames as usize,
            channels: audio.channels as usize,
            format: format_arg(audio.format, "input")?,
            sample_rate: audio.sample_rate,
        };
        let out = node.executor.output_shape(&input)?;
        let frames = u32::try_from(out.frames)
            .map_err(|_| NodeError::invalid_argument(format!("output of {} frames does not fit the ABI", out.frames)))?;
        *shape_out = RmAudio { data: std::ptr::null_mut(), frames, channels: out.channels as u16, format: out.format as u16, sample_rate: out.sample_rate };
        Ok(())
    })
}

/// Ends the stream: writes the node's buffered tail (filter delay) into `output`.
///
/// # Safety
/// Every non-null pointer must be valid for the reads and writes described above, for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn rm_node_flush(node: *mut RmNode, output: *mut RmAudio) -> RmStatus {
    guard(|| {
        let node = node_arg(node)?;
        with_output(output, |out| node.executor.flush(out))
    })
}

/// Forgets the stream state; the node behaves as newly created.
///
/// # Safety
/// Every non-null pointer must be valid for the reads and writes described above, for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn rm_node_reset(node: *mut RmNode) -> RmStatus {
    guard(|| {
        node_arg(node)?.executor.reset();
        Ok(())
    })
}

/// Releases a node. NULL is a no-op.
///
/// # Safety
/// Every non-null pointer must be valid for the reads and writes described above, for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn rm_node_destroy(node: *mut RmNode) {
    if node.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(node))));
    LIVE_NODES.fetch_sub(1, Ordering::Relaxed);
}

/// Reads a numeric property of a node (`latency_frames`, `max_output_frames`, ...) into `*out`.
/// `arg` parameterizes properties that need one (e.g. an input frame count).
///
/// # Safety
/// Every non-null pointer must be valid for the reads and writes described above, for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn rm_node_get_property(node: *mut RmNode, name: *const c_char, arg: f64, out: *mut f64) -> RmStatus {
    guard(|| {
        let node = node_arg(node)?;
        let name = utf8_arg(name, "name")?;
        if out.is_null() {
            return Err(null("out"));
        }
        match node.executor.property(name, arg) {
            Some(value) => {
                *out = value;
                Ok(())
            }
            None => Err(NodeError::new(
                ErrorCode::NotSupported,
                format!("{} has no property '{name}'", node.executor.kind()),
            )),
        }
    })
}

/// Moves up to `capacity` pending events of a node into `events`; stores the count in `*written`.
///
/// # Safety
/// Every non-null pointer must be valid for the reads and writes described above, for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn rm_node_read_events(node: *mut RmNode, events: *mut RmEvent, capacity: u32, written: *mut u32) -> RmStatus {
    guard(|| {
        let node = node_arg(node)?;
        if written.is_null() {
            return Err(null("written"));
        }
        *written = 0;
        if capacity == 0 {
            return Ok(());
        }
        if events.is_null() {
            return Err(null("events"));
        }
        let slice = std::slice::from_raw_parts_mut(events, capacity as usize);
        *written = node.executor.read_events(slice) as u32;
        Ok(())
    })
}

/// Copies this thread's last error message into `buf` (NUL-terminated, truncated to `len`).
/// Returns the full message length in bytes, without the NUL, so callers can size a retry.
///
/// # Safety
/// Every non-null pointer must be valid for the reads and writes described above, for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn rm_last_error(buf: *mut c_char, len: usize) -> usize {
    catch_unwind(|| with_last_error(|message| copy_string(message, buf, len))).unwrap_or(0)
}

/// Copies the registered node kinds (comma-separated) into `buf`; returns the full length.
///
/// # Safety
/// Every non-null pointer must be valid for the reads and writes described above, for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn rm_node_kinds(buf: *mut c_char, len: usize) -> usize {
    catch_unwind(|| copy_string(&registry::kind_list(), buf, len)).unwrap_or(0)
}

/// Number of nodes created and not yet destroyed in this process (leak checks).
#[no_mangle]
pub extern "C" fn rm_live_node_count() -> u64 {
    LIVE_NODES.load(Ordering::Relaxed)
}

unsafe fn copy_string(text: &str, buf: *mut c_char, len: usize) -> usize {
    if !buf.is_null() && len > 0 {
        let n = text.len().min(len - 1);
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf as *mut u8, n);
        *buf.add(n) = 0;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn last_error() -> String {
        let mut buf = [0 as c_char; 256];
        let n = unsafe { rm_last_error(buf.as_mut_ptr(), buf.len()) };
        let s = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap().to_string();
        assert_eq!(n, s.len());
        s
    }

    fn create(kind: &str, config: &str) -> (RmStatus, *mut RmNode) {
        let kind = CString::new(kind).unwrap();
        let config = CString::new(config).unwrap();
        let mut node = std::ptr::null_mut();
        let status = unsafe { rm_node_create(kind.as_ptr(), config.as_ptr(), &mut node) };
        (status, node)
    }

    #[test]
    fn round_trip_through_the_abi() {
        let (status, node) = create("FormatConverterNode", r#"{"target_format":"i16","target_channels":1}"#);
        assert_eq!(status, 0);
        assert!(rm_live_node_count() >= 1);
        let mut input_samples = [0.5f32, 0.5, -0.25, -0.25, 1.0, 1.0];
        let input = RmAudio { data: input_samples.as_mut_ptr().cast(), frames: 3, channels: 2, format: 0, sample_rate: 48000 };
        let mut out_samples = [0i16; 4];
        let mut output = RmAudio { data: out_samples.as_mut_ptr().cast(), frames: 4, channels: 1, format: 1, sample_rate: 0 };
        assert_eq!(unsafe { rm_node_process(node, &input, &mut output) }, 0);
        assert_eq!((output.frames, output.channels, output.format, output.sample_rate), (3, 1, 1, 48000));
        assert_eq!(&out_samples[..3], &[16384, -8192, 32767]);

        let mut shape = RmAudio { data: std::ptr::null_mut(), frames: 0, channels: 0, format: 0, sample_rate: 0 };
        assert_eq!(unsafe { rm_node_output_shape(node, &input, &mut shape) }, 0);
        assert_eq!((shape.frames, shape.channels, shape.format, shape.sample_rate), (3, 1, 1, 48000));

        let mut latency = -1.0;
        let name = CString::new("latency_frames").unwrap();
        assert_eq!(unsafe { rm_node_get_property(node, name.as_ptr(), 0.0, &mut latency) }, 0);
        assert_eq!(latency, 0.0);
        let name = CString::new("nope").unwrap();
        assert_eq!(unsafe { rm_node_get_property(node, name.as_ptr(), 0.0, &mut latency) }, ErrorCode::NotSupported as i32);
        assert!(last_error().contains("'nope'"));
        unsafe { rm_node_destroy(node) };
        unsafe { rm_node_destroy(std::ptr::null_mut()) };
    }

    #[test]
    fn errors_carry_codes_and_messages() {
        let (status, node) = create("NoSuchNode", "{}");
        assert_eq!(status, ErrorCode::UnknownNodeKind as i32);
        assert!(node.is_null());
        assert!(last_error().contains("NoSuchNode"));

        let (status, _) = create("FormatConverterNode", r#"{"target_format":3}"#);
        assert_eq!(status, ErrorCode::InvalidConfig as i32);
        assert!(last_error().contains("target_format"));

        assert_eq!(unsafe { rm_node_create(std::ptr::null(), std::ptr::null(), std::ptr::null_mut()) }, ErrorCode::NullArgument as i32);
        assert_eq!(unsafe { rm_node_process(std::ptr::null_mut(), std::ptr::null(), std::ptr::null_mut()) }, ErrorCode::NullArgument as i32);

        let (_, node) = create("FormatConverterNode", "");
        let input = RmAudio { data: std::ptr::null_mut(), frames: 4, channels: 1, format: 0, sample_rate: 16000 };
        let mut output = RmAudio { data: std::ptr::null_mut(), frames: 0, channels: 1, format: 0, sample_rate: 0 };
        assert_eq!(unsafe { rm_node_process(node, &input, &mut output) }, ErrorCode::NullArgument as i32);
        assert!(last_error().contains("input.data"));
        let bad_format = RmAudio { format: 7, ..input };
        assert_eq!(unsafe { rm_node_process(node, &bad_format, &mut output) }, ErrorCode::InvalidArgument as i32);
        // Zero frames with null data is a valid empty block.
        let empty = RmAudio { frames: 0, ..input };
        assert_eq!(unsafe { rm_node_process(node, &empty, &mut output) }, 0);
        assert_eq!(output.frames, 0);
        unsafe { rm_node_destroy(node) };
    }

    #[test]
    fn last_error_truncates_and_reports_full_length() {
        let (_, _) = create("X", "{}");
        let full = last_error();
        let mut small = [0 as c_char; 5];
        let n = unsafe { rm_last_error(small.as_mut_ptr(), small.len()) };
        assert_eq!(n, full.len());
        assert_eq!(unsafe { CStr::from_ptr(small.as_ptr()) }.to_bytes(), &full.as_bytes()[..4]);
    }
}
