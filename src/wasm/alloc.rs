//! The wasm heap: power-of-two size classes with one free list each, carved from `memory.grow`.
//! A tenth of dlmalloc's code (which costs ~3 KB of the gzipped package); every operation is
//! O(1). Memory freed to a class is reused by that class only and never returned to the host —
//! wasm memory cannot shrink anyway. The module is single-threaded, so no locking.
//!
//! A validation runs in [`scoped`]: what it allocates (the parsed value, its errors, the result
//! text) comes from a bump region that is reset as a whole when it ends, so nothing is freed one
//! by one — a third of the time of validating a large conf went to allocating and freeing.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

const PAGE: usize = 65_536;
/// Classes 2^4 (16 bytes) to 2^31.
const MIN_CLASS: u32 = 4;
/// The bump region's first size; it doubles past what a scope needed when a scope overflows it.
const ARENA_MIN: usize = 4 * PAGE;
/// Beyond this (64 MB) a scope's allocations overflow to the classes instead.
const ARENA_MAX: usize = 1024 * PAGE;

struct Heap {
    free: [*mut u8; 32],
    next: usize,
    end: usize,
    arena: Arena,
}

/// The bump region `[start, end)`; `next` is its first free byte. `on` while a scope runs.
struct Arena {
    on: bool,
    start: usize,
    next: usize,
    end: usize,
    /// Bytes a scope had to take from the classes because the region was full.
    overflow: usize,
}

impl Arena {
    fn owns(&self, ptr: *mut u8) -> bool {
        (self.start..self.end).contains(&(ptr as usize))
    }

    fn bump(&mut self, layout: Layout) -> *mut u8 {
        let start = (self.next + layout.align() - 1) & !(layout.align() - 1);
        match start.checked_add(layout.size()) {
            Some(end) if end <= self.end => {
                self.next = end;
                start as *mut u8
            }
            _ => {
                self.overflow = self.overflow.saturating_add(layout.size());
                null_mut()
            }
        }
    }
}

pub(crate) struct ClassAlloc(UnsafeCell<Heap>);

// SAFETY: wasm32-unknown-unknown without atomics runs one thread.
unsafe impl Sync for ClassAlloc {}

#[global_allocator]
static ALLOC: ClassAlloc = ClassAlloc(UnsafeCell::new(Heap {
    free: [null_mut(); 32],
    next: 0,
    end: 0,
    arena: Arena { on: false, start: 0, next: 0, end: 0, overflow: 0 },
}));

/// Runs `f` with its allocations in the bump region, then `keep` on its result after the
/// region is switched off (what `keep` allocates lives on), then resets the region. Nothing `f`
/// allocates may outlive it except through `keep`: the validators hold no caches, so a
/// validation allocates nothing that lasts. The result is not even dropped (walking a large
/// parsed value to free nothing took a sixth of a validation) unless part of it overflowed the
/// region into the classes.
pub(crate) fn scoped<R, K>(f: impl FnOnce() -> R, keep: impl FnOnce(&R) -> K) -> K {
    // SAFETY (all three blocks): single-threaded, and no allocation happens while `heap` is used.
    let heap = unsafe { &mut *ALLOC.0.get() };
    if heap.arena.on {
        let r = f();
        return keep(&r);
    }
    heap.arena.on = true;
    let r = f();
    let heap = unsafe { &mut *ALLOC.0.get() };
    heap.arena.on = false;
    let kept = keep(&r);
    if unsafe { (*ALLOC.0.get()).arena.overflow } == 0 {
        core::mem::forget(r);
    } else {
        // Frees of region memory are no-ops; what overflowed goes back to the classes.
        drop(r);
    }
    let heap = unsafe { &mut *ALLOC.0.get() };
    let arena = &mut heap.arena;
    let (start, end) = (arena.start, arena.end);
    if (arena.overflow > 0 && end - start < ARENA_MAX) || end == 0 {
        // Too small (or not there yet): twice what this scope needed, for the next one.
        let needed = (arena.next - start).saturating_add(arena.overflow);
        let size = needed.saturating_mul(2).clamp(ARENA_MIN, ARENA_MAX).div_ceil(PAGE) * PAGE;
        let old = core::arch::wasm32::memory_grow(0, size / PAGE);
        if old != usize::MAX {
            (arena.start, arena.end) = (old * PAGE, old * PAGE + size);
            // Nothing lives in the old region any more: the classes carve from it when it is
            // more than what they have left.
            if end - start > heap.end - heap.next {
                (heap.next, heap.end) = (start, end);
            }
        }
    }
    let arena = &mut heap.arena;
    (arena.next, arena.overflow) = (arena.start, 0);
    kept
}

fn class(layout: Layout) -> Option<u32> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    let class = usize::BITS - (size - 1).leading_zeros();
    (class < 32).then_some(class)
}

impl Heap {
    unsafe fn carve(&mut self, size: usize, align: usize) -> *mut u8 {
        let start = (self.next + align - 1) & !(align - 1);
        if start < self.next || start.checked_add(size).is_none_or(|e| e > self.end) {
            let pages = size.saturating_add(align).div_ceil(PAGE).max(16);
            let old = core::arch::wasm32::memory_grow(0, pages);
            if old == usize::MAX {
                return null_mut();
            }
            let base = old * PAGE;
            // Start over in the new pages unless they continue the current region.
            if base != self.end {
                self.next = base;
            }
            self.end = base + pages * PAGE;
            return self.carve(size, align);
        }
        self.next = start + size;
        start as *mut u8
    }
}

unsafe impl GlobalAlloc for ClassAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: single-threaded; no reentrancy (nothing here allocates).
        let heap = unsafe { &mut *self.0.get() };
        if heap.arena.on {
            let p = heap.arena.bump(layout);
            if !p.is_null() {
                return p;
            }
        }
        let Some(c) = class(layout) else { return null_mut() };
        let head = heap.free[c as usize];
        if !head.is_null() && (head as usize) & (layout.align() - 1) == 0 {
            // SAFETY: a freed block of this class stores the next free block in its first word.
            heap.free[c as usize] = unsafe { *(head as *mut *mut u8) };
            return head;
        }
        // Small classes are 16-byte aligned; larger alignments are honoured as asked.
        unsafe { heap.carve(1 << c, layout.align().max(16)) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as in alloc; the block is at least 16 bytes, room for the link.
        let heap = unsafe { &mut *self.0.get() };
        if heap.arena.owns(ptr) {
            return; // reset with its region
        }
        let Some(c) = class(layout) else { return };
        unsafe { *(ptr as *mut *mut u8) = heap.free[c as usize] };
        heap.free[c as usize] = ptr;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `layout.align()` with `new_size` is a valid layout.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        let heap = unsafe { &mut *self.0.get() };
        if heap.arena.owns(ptr) {
            // The region's last block grows in place (a Vec or String being filled).
            let arena = &mut heap.arena;
            if new_size <= layout.size() {
                return ptr;
            }
            if arena.on && ptr as usize + layout.size() == arena.next && ptr as usize + new_size <= arena.end {
                arena.next = ptr as usize + new_size;
                return ptr;
            }
        } else if class(layout) == class(new) {
            return ptr;
        }
        let out = unsafe { self.alloc(new) };
        if !out.is_null() {
            unsafe {
                core::ptr::copy_nonoverlapping(ptr, out, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        out
    }
}
