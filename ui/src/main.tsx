import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { sessionTokenStore } from "./api/token-store";
import { ConsoleApp } from "./app/console-app";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("wizbridge console: index.html has no #root element; rebuild the console (npm run build).");
createRoot(root).render(
  <StrictMode>
    <ConsoleApp tokens={sessionTokenStore()} />
  </StrictMode>,
);
