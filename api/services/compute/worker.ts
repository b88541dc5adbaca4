import { runTask, TaskState, type Task } from './tasks.js'

/** One compute thread: runs tasks, keeping its site indexes between them. */
const state = new TaskState()

export default function run(task: Task): unknown {
  return runTask(task, state)
}
